"""Breakthrough words read in a civil sense are no evidence of fighting, in a war blog too.

The claim reader already tells a cordon, pay talks, a cure or a drill from a frontline
breakthrough; topics follow its reading, so a war blog's pay-deal or police story does not get
`combat` from the word "breakthrough" (or "Durchbruch", "прорыв", "sfondamento"), while a
failed or a claimed breakthrough of the war keeps it.
"""

from __future__ import annotations

import pytest
from detect_fixtures import make_entry, new  # type: ignore[import-not-found]

from newsmon.detect.detector import DetectionConfig, Detector
from newsmon.model import Analysis

WAR = [  # a war blog's first posts: its source lends war context to what follows
    ("Russian forces shell Kharkiv overnight", "Artillery and drones struck the city; two soldiers were killed."),
    ("Ukraine's army says it repelled attacks near Pokrovsk", "Fighting continued along the front line."),
    ("Drone attack on Odesa port", "Air defence shot down 20 drones, the Ukrainian air force said."),
]


def _after_war_posts(title: str, body: str) -> Analysis:
    detector = Detector(DetectionConfig())
    for n, (t, b) in enumerate(WAR):
        detector.analyse(new(e := make_entry(f"w{n}", t, b, minutes=n)), e.published)
    entry = make_entry("x", title, body, minutes=10)
    return detector.analyse(new(entry), entry.published)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Protesters break through police cordon outside parliament",
         "Hundreds of protesters broke through a police cordon and forced their way into the courtyard."),
        ("Durchbruch im Tarifstreit: Bahn und Gewerkschaft einigen sich",
         "Nach zwölf Stunden Verhandlungen gelang der Durchbruch: die Gewerkschaft stimmte dem Angebot zu."),
        ("Российские онкологи сообщили о прорыве в лечении рака",
         "Учёные называют новый препарат прорывом в лечении опухолей."),
        ("Serie A, sfondamento a destra e tris dell'Atalanta",
         "Lo sfondamento sulla fascia destra ha deciso la partita allo stadio."),
        ("Police smash through door in dawn drugs raid",
         "Officers smashed through the front door of a flat and arrested two men."),
    ],
)
def test_civil_breakthrough_words_give_no_combat(title: str, body: str) -> None:
    analysis = _after_war_posts(title, body)
    assert not analysis.claims
    assert "combat" not in analysis.classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Nato-Manöver in Litauen: Panzergrenadiere üben den Durchbruch",
         "Bei dem Manöver durchbrechen Panzergrenadiere eine gegnerische Verteidigungslinie, "
         "Soldaten stürmen Stellungen."),
        ("El Alamein exhibition marks battle's anniversary",
         "The exhibition shows how Montgomery's troops broke through the Axis lines in 1942 after "
         "weeks of fighting and artillery fire."),
    ],
)
def test_a_drill_or_a_battle_of_the_past_in_the_title_is_no_combat(title: str, body: str) -> None:
    analysis = _after_war_posts(title, body)
    assert "combat" not in analysis.classification.topics
    assert analysis.why.get("topics_framed_out", {}).get("topic") == "combat"


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Russian attempt to break through near Toretsk fails, army says",
         "Russian assault groups failed to break through Ukrainian defences near Toretsk, the brigade said."),
        ("Russia says its troops broke through defences near Kupiansk",
         "Russian troops broke through Ukrainian defensive lines near Kupiansk, the defence ministry said."),
        ("Durchbruch bei Kupjansk: Russland meldet Vorstoß",
         "Russische Truppen sind nach eigenen Angaben bei Kupjansk durch die ukrainischen Stellungen durchgebrochen."),
    ],
)
def test_breakthroughs_of_the_war_keep_combat(title: str, body: str) -> None:
    assert "combat" in _after_war_posts(title, body).classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Glide bomb strike on Zaporizhzhia kills four, governor says",
         "A Russian glide bomb struck a residential block in Zaporizhzhia, the regional governor said."),
        ("Two peacekeepers hurt as shells hit UN base",
         "Shells hit the base during a barrage on the town, the mission said."),
        ("Clashes on the Marib fronts", "Government troops and Houthi fighters clashed on several fronts overnight."),
    ],
)
def test_strikes_and_clashes_of_the_war_are_combat(title: str, body: str) -> None:
    assert "combat" in _after_war_posts(title, body).classification.topics


def test_a_labour_strike_outside_war_news_is_no_combat() -> None:
    detector = Detector(DetectionConfig())
    entry = make_entry("s", "Rail strike halts trains across the country",
                       "Train drivers began a 48-hour strike on Monday after pay talks collapsed, the union said.")
    assert "combat" not in detector.analyse(new(entry), entry.published).classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Army says attack near Velmora repelled",
         "Government forces repelled a large rebel assault on positions near Velmora overnight after hours of "
         "fighting, artillery fire and counterattacks along the front, the army said. Twelve attackers were "
         "killed and several soldiers wounded, it added."),
        ("Минобороны: атаки ВСУ в районе Работино отражены",
         "Подразделения группировки войск «Днепр» отразили три атаки штурмовых групп ВСУ в районе Работино, "
         "нанесли поражение живой силе и технике противника, артиллерия подавила огневые позиции. "
         "Потери противника составили до 140 военнослужащих."),
        ("Vovtchansk : les forces russes n'ont pas réussi à percer, selon Kiev",
         "Les assauts russes sur Vovtchansk ont été repoussés après de violents combats, des bombardements et "
         "des tirs d'artillerie sur la ligne de front, selon l'état-major ukrainien. Au moins trente soldats "
         "russes ont été tués."),
    ],
)
def test_losses_in_a_fighting_report_are_casualties_too(title: str, body: str) -> None:
    topics = _after_war_posts(title, body).classification.topics
    assert "combat" in topics and "casualties" in topics


def test_a_fighting_report_without_losses_is_no_casualties() -> None:
    topics = _after_war_posts(
        "Army says attack near Velmora repelled",
        "Government forces repelled a large rebel assault on positions near Velmora overnight after hours of "
        "fighting, artillery fire and counterattacks along the front, the army said.",
    ).classification.topics
    assert "combat" in topics and "casualties" not in topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Un avance científico permite detectar el alzhéimer con un análisis de sangre",
         "Investigadores españoles presentan un avance clave en el diagnóstico precoz de la enfermedad."),
        ("Vacina de ARN reduz recaídas do cancro",
         "Os investigadores falam de um avanço científico importante no tratamento do cancro."),
        ("Researchers report an advance in battery science",
         "The team says the advance in sodium battery research could cut costs."),
    ],
)
def test_a_scientific_advance_is_no_combat(title: str, body: str) -> None:
    assert "combat" not in _after_war_posts(title, body).classification.topics


def test_troops_advancing_stay_combat() -> None:
    topics = _after_war_posts(
        "Las tropas rusas avanzan cerca de Pokrovsk",
        "Las tropas rusas avanzaron dos kilómetros cerca de Pokrovsk, según el ministerio de Defensa.",
    ).classification.topics
    assert "combat" in topics


def test_two_deadly_events_in_one_town_sharing_only_casualties_are_two_stories() -> None:
    detector = Detector(DetectionConfig())
    for n, (t, b) in enumerate(WAR):
        detector.analyse(new(e := make_entry(f"w{n}", t, b, minutes=n - 10)), e.published)
    first = make_entry("d1", "Houthi attempt to break through at al-Abdiyah fails, army says",
                       "Government troops repelled a Houthi assault at al-Abdiyah, south of Marib, after fierce "
                       "fighting overnight, the army said. Twenty attackers were killed.", minutes=0)
    second = make_entry("d2", "At least 46 fighters killed in 24 hours on Marib fronts",
                        "At least 46 fighters were killed and dozens wounded in 24 hours around Marib, medical "
                        "sources told our correspondent.", minutes=60)
    a, b = (detector.analyse(new(e), e.published) for e in (first, second))
    assert "casualties" in a.classification.topics and "casualties" in b.classification.topics
    assert b.story != a.story


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Shelling hits Velmora market overnight",
         "Artillery shells struck the covered market in Velmora overnight, the regional governor said. "
         "No one was killed or injured."),
        ("Drone debris falls on a factory near Lviv",
         "Air defence shot down the drone over the city; debris fell on a factory roof. There were no reports "
         "of casualties."),
        ("Beschuss in Charkiw: Lagerhalle getroffen",
         "Eine russische Rakete hat in der Nacht eine Lagerhalle in Charkiw getroffen. Es gab keine Verletzten."),
        ("Attaque de drones sur Odessa, un entrepôt touché",
         "Des drones russes ont touché un entrepôt du port d'Odessa, selon l'armée. Aucun blessé n'est à déplorer."),
        ("Ataque con drones contra Járkov",
         "Un dron ruso impactó contra un almacén en Járkov durante la noche, según el ejército. No hay heridos."),
        ("Обстрел Херсона: повреждены склады",
         "Российская армия обстреляла промышленную зону Херсона, повреждены склады. Пострадавших нет."),
        ("Обстріл Херсона: пошкоджено склади",
         "Російська армія обстріляла промзону Херсона, пошкоджено склади. Загиблих і постраждалих немає."),
    ],
)
def test_an_attack_that_hurt_nobody_is_no_casualties(title: str, body: str) -> None:
    assert "casualties" not in _after_war_posts(title, body).classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Shelling hits Velmora market overnight",
         "Artillery shells struck the covered market in Velmora overnight. No fewer than 12 people were killed "
         "and dozens wounded, the regional governor said."),
        ("Beschuss in Charkiw: Lagerhalle getroffen",
         "Eine russische Rakete hat eine Lagerhalle in Charkiw getroffen. Keine Zivilisten, aber drei Soldaten "
         "wurden getötet, zwei weitere verletzt."),
        ("Обстрел Херсона: есть погибшие",
         "Российская армия обстреляла Херсон. Не менее 7 человек погибли, ещё 15 получили ранения."),
    ],
)
def test_stated_losses_stay_casualties_beside_a_word_of_absence(title: str, body: str) -> None:
    assert "casualties" in _after_war_posts(title, body).classification.topics


def _alone(title: str, body: str) -> Analysis:
    entry = make_entry("y", title, body)
    return Detector(DetectionConfig()).analyse(new(entry), entry.published)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Municipales : la bataille pour la mairie se durcit",
         "La candidate sortante a lancé une offensive contre son rival, dont l'attaque contre le budget a ouvert "
         "un nouveau front dans la campagne."),
        ("Оппозиция перешла в наступление на коалицию",
         "Лидер оппозиции начал атаку на правительство: удар по бюджету открыл новый фронт борьбы в парламенте."),
        ("Hackerangriff legt Rathaus lahm",
         "Ein Angriff auf die Server der Stadt hat die Verwaltung lahmgelegt; die Offensive der Hacker dauerte "
         "die ganze Nacht, an der Front der IT-Abteilung wird weiter gekämpft."),
        ("Depressão ataca costa portuguesa com ondas de nove metros",
         "A tempestade atacou a costa durante a noite; uma frente fria traz mais chuva e a ofensiva do mau tempo "
         "continua."),
        ("El Madrid pasa al ataque en la segunda parte",
         "Con una ofensiva constante por la banda, el ataque del equipo desbordó la defensa en el frente derecho."),
    ],
)
def test_everyday_senses_of_attack_offensive_and_front_are_no_war_news(title: str, body: str) -> None:
    assert "combat" not in _alone(title, body).classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("L'armée russe bombarde Kharkiv",
         "L'artillerie russe a pilonné la ville pendant la nuit, l'attaque a visé des positions sur le front."),
        ("Российская армия обстреляла Херсон из артиллерии",
         "Артиллерия противника нанесла удар по позициям ВСУ на фронте, бой продолжался всю ночь."),
        ("Russische Artillerie greift Charkiw an",
         "Die Artillerie feuerte die ganze Nacht, der Angriff der Truppen an der Front dauert an, teilte die "
         "Armee mit."),
    ],
)
def test_war_reports_with_strong_cues_stay_combat(title: str, body: str) -> None:
    assert "combat" in _alone(title, body).classification.topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Supermarket price war claims its first casualties",
         "The price war between discounters has killed margins; the first casualties are small grocers, "
         "an analyst said."),
        ("Guerre commerciale : Pékin contre-attaque",
         "Dans cette guerre commerciale, Pékin a lancé une attaque contre les exportations européennes."),
        ("La guerra de precios deja víctimas entre las aerolíneas",
         "La guerra de precios ya ha matado a dos compañías de bajo coste, según los analistas."),
        ("Ценовая война: удар по маркетплейсам",
         "Ценовая война между маркетплейсами нанесла удар по мелким продавцам."),
    ],
)
def test_a_price_or_trade_war_is_no_war(title: str, body: str) -> None:
    topics = _alone(title, body).classification.topics
    assert "combat" not in topics and "casualties" not in topics


def test_a_real_war_beside_a_price_war_stays_war_news() -> None:
    topics = _alone(
        "War drives a price war on fuel",
        "Russia's invasion of Ukraine goes on: artillery shelled Kharkiv overnight and two civilians were killed, "
        "while a price war between fuel retailers continues.",
    ).classification.topics
    assert "casualties" in topics


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Hospital opens rebuilt casualty department",
         "The new casualty department has 40 beds; frontline nurses say waiting times will fall."),
        ("Frontline workers to get a pay rise",
         "Frontline staff in hospitals and care homes will get 4 percent, the health minister said."),
    ],
)
def test_a_hospital_s_casualty_department_and_frontline_staff_are_no_war(title: str, body: str) -> None:
    topics = _after_war_posts(title, body).classification.topics
    assert "casualties" not in topics and "combat" not in topics


def test_casualties_and_the_front_line_of_the_war_stay_war_news() -> None:
    topics = _after_war_posts(
        "Heavy casualties on the front line near Velmora",
        "Both armies suffered heavy casualties on the frontline near Velmora overnight, officers said.",
    ).classification.topics
    assert "casualties" in topics and "combat" in topics
