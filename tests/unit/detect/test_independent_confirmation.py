"""Independent confirmation in every language: a bare independence phrase is no sign either way.

"fue confirmado de forma independiente", "vérifiée de manière indépendante", "confermata in modo
indipendente", "niezależnie potwierdzone", "eine unabhängige Bestätigung" confirm a claim; the same
words under a negation or a word of absence ("no ha podido ser verificada de forma independiente",
"keine unabhängige Bestätigung", "Brak niezależnego potwierdzenia", "steht noch aus") leave it
unverified.
"""

from __future__ import annotations

import pytest

from newsmon.detect.claims import ClaimExtractor
from newsmon.detect.tokens import read_text

# a claim in each language, then what is said of its confirmation
CLAIMS = {
    "en": "Russian forces broke through Ukrainian defences near Pokrovsk, Russia's defence ministry said.",
    "es": "Las fuerzas rusas rompieron las defensas ucranianas cerca de Pokrovsk, según el Ministerio de Defensa ruso.",
    "fr": "Les forces russes ont percé les défenses ukrainiennes près de Pokrovsk, selon le "
    "ministère russe de la Défense.",
    "it": "Le forze russe hanno sfondato le difese ucraine vicino a Pokrovsk, secondo il ministero della Difesa russo.",
    "pt": "As forças russas romperam as defesas ucranianas perto de Pokrovsk, segundo o Ministério da Defesa russo.",
    "pl": "Rosyjskie wojska przełamały ukraińską obronę pod Pokrowskiem, podało rosyjskie ministerstwo obrony.",
    "de": "Russische Truppen haben die ukrainischen Stellungen bei Pokrowsk durchbrochen, teilte das "
    "Verteidigungsministerium in Moskau mit.",
}
CASES = [
    (
        "es",
        "El avance fue confirmado de forma independiente por fuentes independientes con imágenes de vídeo.",
        "verified",
    ),
    ("es", "La información no ha podido ser verificada de forma independiente.", "unverified"),
    ("fr", "L'avancée a été vérifiée de manière indépendante par des analystes.", "verified"),
    ("fr", "Ces affirmations n'ont pas pu être vérifiées de manière indépendante.", "unverified"),
    ("it", "L'avanzata è stata confermata in modo indipendente da fonti indipendenti.", "verified"),
    ("it", "La notizia non è verificabile in modo indipendente.", "unverified"),
    ("pt", "O avanço foi confirmado de forma independente por fontes independentes.", "verified"),
    ("pt", "A informação não pôde ser verificada de forma independente.", "unverified"),
    ("pl", "Przełamanie zostało niezależnie potwierdzone przez niezależnych obserwatorów.", "verified"),
    ("pl", "Informacji nie można niezależnie zweryfikować.", "unverified"),
    ("de", "Diesmal gibt es eine unabhängige Bestätigung durch geolokalisierte Videos.", "verified"),
    ("de", "Eine unabhängige Bestätigung gibt es nicht.", "unverified"),
    ("de", "Dafür gibt es keine unabhängige Bestätigung.", "unverified"),
    ("es", "No hay confirmación independiente de fuentes independientes.", "unverified"),
    ("es", "Sin confirmación independiente por ahora.", "unverified"),
    ("fr", "Aucune confirmation indépendante n'était disponible.", "unverified"),
    ("it", "Manca una conferma indipendente da fonti indipendenti.", "unverified"),
    ("it", "Non c'è alcuna conferma indipendente.", "unverified"),
    ("pt", "Não há confirmação independente.", "unverified"),
    ("pt", "Sem confirmação independente até agora.", "unverified"),
    ("pl", "Brak niezależnego potwierdzenia tych informacji.", "unverified"),
    ("de", "Eine unabhängige Bestätigung steht noch aus.", "unverified"),
    # a subject of absence ("none of", "ninguna de", "keine der") before the confirmation word
    ("es", "Ninguna de las dos versiones ha podido ser verificada de forma independiente.", "unverified"),
    ("fr", "Aucune des deux versions n'a pu être vérifiée de manière indépendante.", "unverified"),
    ("it", "Nessuna delle due versioni è stata verificata in modo indipendente.", "unverified"),
    ("pt", "Nenhuma das duas versões foi verificada de forma independente.", "unverified"),
    ("pl", "Żadna z tych wersji nie została niezależnie zweryfikowana.", "unverified"),
    ("de", "Keine der beiden Versionen konnte bislang unabhängig bestätigt werden.", "unverified"),
    ("en", "Neither version could be independently verified.", "unverified"),
    ("en", "The advance was independently verified by geolocated footage.", "verified"),
]



@pytest.mark.parametrize(("language", "cue", "status"), CASES)
def test_independent_confirmation_in_each_language(
    extractor: ClaimExtractor, language: str, cue: str, status: str
) -> None:
    reading = read_text("", f"{CLAIMS[language]} {cue}")
    assert reading.lexicon_language == language
    (found,) = extractor.extract(reading).claims
    assert found.verification == status
    assert found.verified is (status == "verified")
