"""analyse/ground.py: control of places over time, disputes, denials, and the GeoJSON export."""

from __future__ import annotations

import json

from sitroom.analyse import ground

from .story_kit import Doc, corpus_of, day


def contested_monday() -> Doc:
    return Doc("Fighting continued in the streets of Kessel through the night.", "Harbor Post", day(2)).place(
        "Kessel", "contested"
    )


def captured_friday() -> Doc:
    text = "Northern forces captured Kessel after a week of fighting, the defence ministry said."
    return (
        Doc(text, "Coast Wire", day(6))
        .said("defence ministry", "Northern forces captured Kessel after a week of fighting")
        .place("Kessel", "captured", by="Northern forces")
    )


def test_contested_monday_then_captured_friday_is_a_change_not_a_dispute():
    corpus = corpus_of(contested_monday(), captured_friday())
    reports = ground.reports_by_place(corpus)["Kessel"]
    assert [(r.status, r.voice) for r in reports] == [("contested", "Harbor Post"), ("captured", "defence ministry")]
    moves = ground.changes("Kessel", reports)
    assert [(c.before, c.after, c.when, c.by) for c in moves] == [("contested", "captured", day(6), "Northern forces")]
    state = ground.state("Kessel", reports, at=day(6, hour=23))
    assert state is not None
    assert state.status == "captured" and state.by == "Northern forces"
    assert state.since == day(6)
    assert not state.disputed and state.rival == {}
    assert state.first_report == day(2) and state.last_report == day(6)
    assert state.sources == ["Harbor Post", "Coast Wire"]


def test_the_same_pair_within_the_window_is_a_dispute():
    reports = ground.reports_by_place(corpus_of(contested_monday(), captured_friday()))["Kessel"]
    # a seven-day window keeps Monday's report in view on Friday
    state = ground.state("Kessel", reports, window_days=7)
    assert state is not None and state.disputed
    assert ground.changes("Kessel", reports, window_days=7) != []


def test_captured_and_contested_by_different_voices_within_three_days_is_disputed():
    captured = Doc("Northern forces captured Kessel on Monday.", "Coast Wire", day(2)).place(
        "Kessel", "captured", by="Northern forces"
    )
    contested = Doc("Our reporter saw fighting inside Kessel on Wednesday.", "Harbor Post", day(4)).place(
        "Kessel", "contested"
    )
    [state] = ground.places(corpus_of(captured, contested))
    assert state.disputed
    # one voice each: the tie goes to the latest report, the other status is the rival
    assert state.status == "contested"
    assert state.rival == {"captured": ["Coast Wire"]}


def test_more_voices_win_the_status_and_the_minority_is_the_rival():
    docs = [
        Doc("Northern forces captured Kessel.", "Coast Wire", day(2)).place("Kessel", "captured", by="Northern forces"),
        Doc("Kessel has been captured by northern units.", "Valley Times", day(3)).place(
            "Kessel", "captured", by="Northern forces"
        ),
        Doc("Fighting goes on in Kessel.", "Harbor Post", day(3, hour=12)).place("Kessel", "contested"),
    ]
    [state] = ground.places(corpus_of(*docs))
    assert state.status == "captured" and state.by == "Northern forces"
    assert state.disputed and state.rival == {"contested": ["Harbor Post"]}


def test_one_voice_changing_its_account_within_the_window_is_not_a_dispute():
    first = Doc("Northern forces captured Kessel.", "Harbor Post", day(2)).place("Kessel", "captured")
    second = Doc("Fighting has resumed inside Kessel.", "Harbor Post", day(3)).place("Kessel", "contested")
    [state] = ground.places(corpus_of(first, second))
    assert state.status == "contested"
    assert not state.disputed and state.rival == {}


def test_threatened_does_not_conflict_with_contested():
    a = Doc("Northern forces are closing in on Kessel.", "Coast Wire", day(2)).place("Kessel", "threatened")
    b = Doc("Fighting goes on inside Kessel.", "Harbor Post", day(3)).place("Kessel", "contested")
    [state] = ground.places(corpus_of(a, b))
    assert state.status == "contested" and not state.disputed
    assert ground.conflicting("captured", "threatened") and not ground.conflicting("contested", "threatened")


def test_a_denied_capture_reads_as_contested():
    text = "The southern command denied that Kessel had been captured."
    denial = (
        Doc(text, "Harbor Post", day(3))
        .said("southern command", "Kessel had been captured", "denied")
        .place("Kessel", "captured", by="Northern forces")
    )
    [report] = ground.reports_by_place(corpus_of(denial))["Kessel"]
    assert report.status == "contested"
    assert report.voice == "southern command" and report.certainty == "denied"
    claim = (
        Doc("Northern forces captured Kessel, the ministry said.", "Coast Wire", day(2))
        .said("ministry", "Northern forces captured Kessel")
        .place("Kessel", "captured", by="Northern forces")
    )
    [state] = ground.places(corpus_of(claim, denial))
    assert state.status == "contested" and state.disputed
    assert state.rival == {"captured": ["ministry"]}


def test_a_denial_by_a_hedge_in_the_documents_own_voice_also_reads_as_contested():
    text = "Claims that Kessel was captured are false, our correspondent found."
    doc = Doc(text, "Harbor Post", day(3)).hedge("are false", "denied").place("Kessel", "captured")
    [report] = ground.reports_by_place(corpus_of(doc))["Kessel"]
    assert report.status == "contested" and report.voice == "Harbor Post"


def test_a_denied_report_that_is_not_a_capture_is_dropped_and_mentions_are_not_reports():
    denial = (
        Doc("The governor denied that Kessel is under threat.", "Harbor Post", day(3))
        .said("governor", "Kessel is under threat", "denied")
        .place("Kessel", "threatened")
    )
    mention = Doc("The Kessel market reopened today.", "Coast Wire", day(3)).place("Kessel", "mentioned")
    assert ground.reports_by_place(corpus_of(denial, mention)) == {}
    assert ground.places(corpus_of(denial, mention)) == []


def test_undated_reports_are_left_out():
    undated = Doc("Northern forces captured Kessel.", "Harbor Post", None).place("Kessel", "captured")
    assert ground.reports_by_place(corpus_of(undated)) == {}


def test_state_at_a_date_ignores_later_reports():
    reports = ground.reports_by_place(corpus_of(contested_monday(), captured_friday()))["Kessel"]
    wednesday = ground.state("Kessel", reports, at=day(4))
    assert wednesday is not None
    assert wednesday.status == "contested" and wednesday.since == day(2)
    assert wednesday.last_report == day(2) and len(wednesday.reports) == 1
    assert ground.state("Kessel", reports, at=day(1)) is None
    # places(at=...) filters the same way
    corpus = corpus_of(contested_monday(), captured_friday())
    assert [s.status for s in ground.places(corpus, at=day(4))] == ["contested"]
    assert [s.status for s in ground.places(corpus)] == ["captured"]


def test_places_are_located_and_most_recent_first():
    corpus = corpus_of(
        contested_monday(),
        Doc("Northern forces captured Orlen.", "Coast Wire", day(4)).place("Orlen", "captured", lat=47.125, lon=36.5),
    )
    states = ground.places(corpus)
    assert [s.name for s in states] == ["Orlen", "Kessel"]
    assert (states[0].lat, states[0].lon, states[0].country, states[0].admin1) == (47.125, 36.5, "XX", "North")


def test_geojson_is_valid_lon_lat_and_skips_places_without_coordinates():
    corpus = corpus_of(
        contested_monday(),
        captured_friday(),
        Doc("Northern forces captured Orlen.", "Valley Times", day(4)).place("Orlen", "captured", lat=47.125, lon=36.5),
        Doc("Fighting near Brask continued.", "Valley Times", day(5)).place("Brask", "contested", lat=None, lon=None),
    )
    collection = json.loads(json.dumps(ground.geojson(ground.places(corpus))))
    assert collection["type"] == "FeatureCollection"
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {"Kessel", "Orlen"}  # Brask has no coordinates
    orlen = features["Orlen"]
    assert orlen["type"] == "Feature"
    assert orlen["geometry"] == {"type": "Point", "coordinates": [36.5, 47.125]}  # [lon, lat]
    kessel = features["Kessel"]["properties"]
    assert kessel["status"] == "captured" and kessel["by"] == "Northern forces"
    assert kessel["first_report"] == day(2).isoformat() and kessel["last_report"] == day(6).isoformat()
    assert kessel["sources"] == ["Harbor Post", "Coast Wire"]
    assert kessel["reports"] == 2
    assert "lat" not in kessel and "lon" not in kessel


def test_geojson_of_nothing_is_an_empty_collection():
    assert ground.geojson([]) == {"type": "FeatureCollection", "features": []}
