"""Function words of the supported languages other than English, left out of story terms.

English's list is ``stories.STOPWORDS``.  A story is matched on content words; without these,
two Spanish entries meet on "las" and "según" and two German ones on "die" and "und".  They are
looked up per entry language only: German "war" and "die" are English content words.
"""

from __future__ import annotations

_WORDS = {
    "de": "der die das den dem des ein eine einen einem einer eines und oder aber auch als am an auf aus bei bis "
          "durch für gegen im in ins ist sind war waren wird werden wurde wurden hat haben hatte nach nicht noch "
          "nur über um unter vom von vor zu zum zur mit sich sie er es wir ihr seine ihre sein dass wie so "
          "laut sagte sagt heißt seit man mehr sowie bereits",
    "fr": "le la les un une des du de d l et ou mais aussi au aux dans en par pour sur sous avec sans est sont "
          "été était a ont avait ce cette ces son sa ses leur leurs qui que qu ne pas plus il elle ils elles on "
          "se s selon après avant depuis entre comme dont où tout très",
    "es": "el la los las un una unos unas de del al y o pero también en por para con sin sobre entre es son "
          "fue era ha han había este esta estos estas ese esa su sus que quien no más se lo le les según tras "
          "desde hasta como donde muy ya",
    "it": "il lo la i gli le un uno una di del dello della dei degli delle da dal dalla a al allo alla ai agli "
          "alle in nel nello nella nei negli nelle su sul sulla con per tra fra e o ma anche è sono era stato "
          "stata ha hanno aveva che chi non più si ci ne questo questa quello quella suo sua suoi secondo dopo "
          "come dove molto già",
    "pl": "i w we z ze na do od o u za po przez przy dla a ale lub oraz że się nie jest są był była było były "
          "ma mają to ten ta te tego tej jego jej ich co jak już także też według",
    "pt": "o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela para com sem sobre entre e "
          "ou mas também é são foi era tem têm tinha que quem não mais se lhe seu sua seus suas segundo após "
          "desde até como onde muito já ao aos à às",
    "ru": "и в во на с со к ко по о об от до из за у для при через над под а но или же ли не ни что это этот "
          "эта эти его ее её их он она они мы вы был была было были есть будет как так также уже только "
          "который которая которые сообщил сообщило сообщает заявил",
    "uk": "і й та в у на з із зі до від по про за для при через над під а але або же чи не ні що це цей ця ці "
          "його її їх він вона вони ми ви був була було були є буде як так також вже тільки який яка які "
          "повідомив повідомили заявив",
}

STOPWORDS: dict[str, frozenset[str]] = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
