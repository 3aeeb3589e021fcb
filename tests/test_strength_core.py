"""Test strength (issue 7): levels of care and continua, pinned by the facts they encode.

The catalogs' continua are built once, when `carecontinuum.catalogs` is imported; the levels and
the continuum here are built inside the tests (a clinic's own scheme), so mutation testing
(scripts/mutation) sees the constructors' own code at work.
"""

from __future__ import annotations

import pickle
from datetime import date

import pendulum
import pytest

import carecontinuum as cc
from carecontinuum.catalogs import ASAM3, GENERIC

OUT, RES = cc.Setting.OUTPATIENT, cc.Setting.RESIDENTIAL
SCHEDULED, ROUND_THE_CLOCK = cc.Supervision.SCHEDULED, cc.Supervision.TWENTY_FOUR_HOUR


def level(code: str, rank: object, **kw: object) -> cc.LevelOfCare:
    """A level of the clinic's scheme: outpatient and scheduled unless said otherwise."""
    arguments: dict[str, object] = {
        "setting": OUT,
        "overnight": False,
        "supervision": SCHEDULED,
        "rank": rank,
    }
    arguments.update(kw)
    return cc.LevelOfCare(code, f"Level {code}", "CLINIC", **arguments)  # type: ignore[arg-type]


def clinic() -> cc.Continuum:
    """Outpatient (0), intensive outpatient (1, also "IOP"), day treatment (2), residential
    (3), and a withdrawal-management pathway beside them: ambulatory (4) and residential (5)."""
    return cc.Continuum(
        "CLINIC",
        "The clinic's levels",
        [
            level("DAY", 2),
            level("OUT", 0),
            level("INT", 1, aliases=("IOP",)),
            level("RES", 3, setting=RES, overnight=True, supervision=ROUND_THE_CLOCK),
            level("WM-AMB", 4, pathway="withdrawal"),
            level(
                "WM-RES",
                5,
                pathway="withdrawal",
                setting=RES,
                overnight=True,
                supervision=ROUND_THE_CLOCK,
                management=cc.Management.MEDICALLY_MONITORED,
            ),
        ],
        "Clinic policy 2026",
    )


def refusal(make: object) -> cc.CareContinuumError:
    with pytest.raises(cc.CareContinuumError) as info:
        make()  # type: ignore[operator]
    return info.value


class TestLevelOfCare:
    def test_a_level_keeps_what_it_was_given(self) -> None:
        wm = level(
            "WM",
            4,
            pathway="withdrawal",
            setting=RES,
            overnight=True,
            supervision=ROUND_THE_CLOCK,
            management=cc.Management.MEDICALLY_MANAGED,
            concurrent=True,
            aliases=["III.7-D"],
            adolescent_name="Teen WM",
        )
        assert (wm.code, wm.name, wm.scheme, wm.rank, wm.pathway) == (
            "WM",
            "Level WM",
            "CLINIC",
            4,
            "withdrawal",
        )
        assert (wm.setting, wm.overnight, wm.supervision) == (RES, True, ROUND_THE_CLOCK)
        assert wm.management is cc.Management.MEDICALLY_MANAGED and wm.concurrent
        assert wm.aliases == ("III.7-D",) and wm.adolescent_name == "Teen WM"
        plain = level("OUT", 0)
        assert plain.pathway == "main" and not plain.concurrent and plain.management is None
        assert plain.aliases == () and plain.adolescent_name is None
        assert str(plain) == "CLINIC OUT (Level OUT)"

    def test_outpatient_and_24_hour_care(self) -> None:
        """Outpatient: an outpatient setting without an overnight stay; 24-hour: supervised
        around the clock. A residential level is 24-hour care, not outpatient."""
        out, res = level("OUT", 0), clinic()["RES"]
        assert out.is_outpatient and not out.is_24_hour
        assert res.is_24_hour and not res.is_outpatient
        community = level("PEER", 0, setting=cc.Setting.COMMUNITY, supervision=cc.Supervision.NONE)
        assert not community.is_outpatient and not community.is_24_hour
        sober = level("SOBER", 0, setting=RES, overnight=True, supervision=SCHEDULED)
        assert not sober.is_outpatient and not sober.is_24_hour

    @pytest.mark.parametrize("setting", [cc.Setting.OUTPATIENT, cc.Setting.COMMUNITY])
    def test_outpatient_and_community_care_has_no_overnight_stay(self, setting: cc.Setting) -> None:
        error = refusal(lambda: level("X", 0, setting=setting, overnight=True))
        assert error.field == "overnight"  # type: ignore[attr-defined]
        assert f"False for a level in the {setting.value} setting" in str(error)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"rank": -1}, "rank"),
            ({"rank": 1.0}, "rank"),
            ({"aliases": "IOP"}, "aliases"),
            ({"aliases": ["IOP", ""]}, "aliases[1]"),
            ({"pathway": ""}, "pathway"),
            ({"concurrent": 1}, "concurrent"),
            ({"management": "managed"}, "management"),
            ({"adolescent_name": ""}, "adolescent_name"),
            ({"setting": "out-patient"}, "setting"),
            ({"supervision": "daytime"}, "supervision"),
            ({"overnight": None}, "overnight"),
        ],
    )
    def test_malformed_levels_are_refused(self, changes: dict[str, object], field: str) -> None:
        arguments = {"rank": 0, **changes}
        error = refusal(lambda: level("X", **arguments))  # type: ignore[arg-type]
        assert error.field == field  # type: ignore[attr-defined]

    def test_levels_of_a_scheme_are_ordered_by_intensity(self) -> None:
        c = clinic()
        out, intensive, day = c["OUT"], c["INT"], c["DAY"]
        assert out < intensive < day and day > intensive > out
        assert out <= c["OUT"] and out >= c["OUT"] and out <= day and day >= out
        assert not (day < out) and not (out > day) and not (day <= out) and not (out >= day)
        assert max(c.levels) == c["WM-RES"] and min(c.levels) == out
        assert sorted([day, out, intensive]) == [out, intensive, day]

    def test_levels_of_two_schemes_do_not_compare(self) -> None:
        """ASAM3 2.1 and GENERIC IOP are two schemes' levels: map them with crosswalk()."""
        for compare in (
            lambda: ASAM3["2.1"] < GENERIC["IOP"],
            lambda: ASAM3["2.1"] <= GENERIC["IOP"],
            lambda: ASAM3["2.1"] > GENERIC["IOP"],
            lambda: ASAM3["2.1"] >= GENERIC["IOP"],
        ):
            error = refusal(compare)
            assert isinstance(error, cc.SchemeMismatchError)
            assert str(error) == (
                "cannot compare levels of different schemes: 'ASAM3' level '2.1' and 'GENERIC' "
                "level 'IOP'; use crosswalk() to map between schemes"
            )
        with pytest.raises(TypeError):
            _ = ASAM3["2.1"] < 3  # type: ignore[operator]
        assert ASAM3["2.1"] != "2.1"

    def test_equal_levels_hash_alike(self) -> None:
        assert level("OUT", 0) == level("OUT", 0)
        assert hash(level("OUT", 0)) == hash(level("OUT", 0))
        assert level("OUT", 0) != level("OUT", 1) and level("OUT", 0) != level("OTHER", 0)
        assert len({level("OUT", 0), level("OUT", 0), level("OUT", 1)}) == 2


class TestContinuum:
    def test_levels_are_kept_by_rank_and_pathway(self) -> None:
        c = clinic()
        assert c.codes == ("OUT", "INT", "DAY", "RES", "WM-AMB", "WM-RES")
        assert [lvl.code for lvl in c.pathways["main"]] == ["OUT", "INT", "DAY", "RES"]
        assert [lvl.code for lvl in c.pathways["withdrawal"]] == ["WM-AMB", "WM-RES"]
        assert (c.scheme, c.name, c.source) == (
            "CLINIC",
            "The clinic's levels",
            "Clinic policy 2026",
        )
        assert len(c) == 6 and list(c) == list(c.levels)
        assert repr(c) == "Continuum('CLINIC', levels=[OUT, INT, DAY, RES, WM-AMB, WM-RES])"
        assert pickle.loads(pickle.dumps(c)) == c

    def test_look_up_by_code_or_alias(self) -> None:
        c = clinic()
        assert c["IOP"] is c["INT"] and c.level("IOP") is c["INT"]
        assert "IOP" in c and "INT" in c and c["INT"] in c
        assert "NOPE" not in c and 3 not in c and level("INT", 9) not in c
        assert c.get("IOP") is c["INT"] and c.get("NOPE") is None
        assert c.get("NOPE", c["OUT"]) is c["OUT"] and c.get(3, c["OUT"]) is c["OUT"]  # type: ignore[arg-type]

    def test_stepping_stays_on_the_pathway(self) -> None:
        """Up from day treatment is residential; up from residential, nothing (withdrawal
        management is another pathway); down from ambulatory withdrawal management, nothing."""
        c = clinic()
        assert c.step_up("OUT") is c["INT"] and c.step_up(c["DAY"]) is c["RES"]
        assert c.step_up("RES") is None
        assert c.step_down("INT") is c["OUT"] and c.step_down("OUT") is None
        assert c.step_up("WM-AMB") is c["WM-RES"] and c.step_down("WM-AMB") is None
        assert c.step_down("WM-RES") is c["WM-AMB"]

    def test_a_level_of_another_scheme_or_not_a_member_is_refused(self) -> None:
        c = clinic()
        error = refusal(lambda: c.level(GENERIC["IOP"]))
        assert isinstance(error, cc.SchemeMismatchError)
        assert str(error) == (
            "level 'IOP' belongs to scheme 'GENERIC', not to 'CLINIC'; use crosswalk() to map "
            "between schemes"
        )
        assert isinstance(refusal(lambda: c.level(level("INT", 9))), cc.UnknownLevelError)
        assert isinstance(refusal(lambda: c.level(level("NEW", 9))), cc.UnknownLevelError)
        error = refusal(lambda: c.level(3))  # type: ignore[arg-type]
        assert str(error).startswith(
            "'level' must be a LevelOfCare or a level code (level codes are strings) (got 3)"
        )
        assert c.level(level("OUT", 0)) == c["OUT"]

    def test_an_unknown_code_suggests_the_closest(self) -> None:
        """Case first; then a generic code's counterparts; then codes alike, at most three,
        the most alike first."""
        c = clinic()
        assert "'RES'" in str(refusal(lambda: c["res"]))
        assert refusal(lambda: c["res"]).suggestions == ("RES",)  # type: ignore[attr-defined]
        assert refusal(lambda: ASAM3["IOP"]).suggestions == ("2.1",)  # type: ignore[attr-defined]
        assert refusal(lambda: c["WM-AM"]).suggestions == ("WM-AMB", "WM-RES")  # type: ignore[attr-defined]
        assert refusal(lambda: c["ZZZZZZ"]).suggestions == ()  # type: ignore[attr-defined]
        assert len(refusal(lambda: c["WM-"]).suggestions) <= 3  # type: ignore[attr-defined]

    @pytest.mark.parametrize(
        ("levels", "field", "says"),
        [
            ("OUT", "levels", "a sequence of LevelOfCare"),
            ([], "levels", "at least one level"),
            ([3], "levels[0]", "a LevelOfCare"),
            ([level("A", 0), level("B", 0)], "levels[1].rank", "a rank no other level has"),
            ([level("A", 0), level("A", 1)], "levels[1].code", "a code or alias no other"),
            ([level("A", 0), level("B", 1, aliases=("A",))], "levels[1].code", "a code or alias"),
            (
                [
                    cc.LevelOfCare(
                        "A", "A", "OTHER", OUT, overnight=False, supervision=SCHEDULED, rank=0
                    )
                ],
                "levels[0].scheme",
                "the continuum's scheme 'CLINIC'",
            ),
        ],
    )
    def test_malformed_continua_are_refused(self, levels: object, field: str, says: str) -> None:
        error = refusal(lambda: cc.Continuum("CLINIC", "c", levels, "s"))
        assert error.field == field and says in str(error)  # type: ignore[attr-defined]


# ---- calendars built by hand (as plain data is read back) ---------------------------------------

D = pendulum.date


def mwf_calendar() -> cc.Calendar:
    """Two weeks of a Monday-Wednesday-Friday IOP in New York from Monday 2 March 2026, closed
    on Wednesday 4 March."""
    iop = cc.ProgramStructure.weekly(
        GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=2
    )
    return cc.expand(iop, D(2026, 3, 2), "America/New_York", closures=[D(2026, 3, 4)])


class TestCalendarByHand:
    def test_a_calendar_is_what_expand_makes(self) -> None:
        cal = mwf_calendar()
        again = cc.Calendar(
            cal.program, cal.zone, cal.first, cal.last, cal.sessions, cal.closed, [D(2026, 3, 4)]
        )
        assert again == cal and again.zone.name == "America/New_York"
        assert (again.first, again.last) == (D(2026, 3, 2), D(2026, 3, 15))
        assert len(again) == 5 and [s.day for s in again.closed] == [D(2026, 3, 4)]
        assert again.closures == (D(2026, 3, 4),)

    def test_a_calendar_by_hand_is_refused_where_expand_disagrees(self) -> None:
        cal = mwf_calendar()

        def make(**changes: object) -> cc.Calendar:
            fields: dict[str, object] = {
                "program": cal.program,
                "zone": cal.zone,
                "first": cal.first,
                "last": cal.last,
                "sessions": cal.sessions,
                "closed": cal.closed,
                "closures": cal.closures,
            }
            fields.update(changes)
            return cc.Calendar(**fields)  # type: ignore[arg-type]

        assert make(zone="America/New_York") == cal  # a zone by its name
        error = refusal(lambda: make(zone="UTC"))
        assert error.field == "sessions"  # type: ignore[attr-defined]  # the zone's sessions differ
        error = refusal(lambda: make(zone="EST"))
        assert str(error).startswith("'zone' must be an IANA zone with its daylight-saving rules")
        error = refusal(lambda: make(sessions=cal.sessions[1:]))
        assert error.field == "sessions" and "the sessions expand() gives" in str(error)  # type: ignore[attr-defined]
        error = refusal(lambda: make(closed=()))
        assert error.field == "closed" and "the closed sessions expand() gives" in str(error)  # type: ignore[attr-defined]
        error = refusal(lambda: make(last=D(2026, 3, 31)))
        assert error.field == "last"  # type: ignore[attr-defined]
        error = refusal(lambda: make(closures="2026-03-04"))
        assert error.field == "closures"  # type: ignore[attr-defined]
        error = refusal(lambda: make(sessions=[*cal.sessions[:-1], "x"]))
        assert error.field == "sessions[4]"  # type: ignore[attr-defined]

    def test_a_week_by_hand(self) -> None:
        cal = mwf_calendar()
        first = cal.by_week()[0]
        again = cc.CalendarWeek(
            D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 8), first.sessions, first.closed
        )
        assert again == first and again.days_in_period == 7 and not again.partial
        assert again.days == 2 and again.clinical_duration == pendulum.duration(hours=6)
        short = cc.CalendarWeek(D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 6), first.sessions[1:], ())
        assert short.days_in_period == 3 and short.partial and short.days == 1

    @pytest.mark.parametrize(
        ("monday", "first", "last", "field", "says"),
        [
            (D(2026, 3, 3), D(2026, 3, 3), D(2026, 3, 8), "monday", "a Monday"),
            (D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 4), "last", "a day from first (2026-03-05)"),
            (D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 9), "last", "to the end of monday's week"),
            (
                D(2026, 3, 2),
                D(2026, 3, 3),
                D(2026, 3, 8),
                "sessions[0]",
                "a session from 2026-03-03 to 2026-03-08",
            ),
            (
                D(2026, 3, 2),
                D(2026, 3, 2),
                D(2026, 3, 5),
                "sessions[1]",
                "a session from 2026-03-02 to 2026-03-05",
            ),
        ],
    )
    def test_a_week_by_hand_is_refused_when_inconsistent(
        self, monday: date, first: date, last: date, field: str, says: str
    ) -> None:
        week = mwf_calendar().by_week()[0]
        error = refusal(lambda: cc.CalendarWeek(monday, first, last, week.sessions, ()))
        assert error.field == field and says in str(error)  # type: ignore[attr-defined]

    def test_a_closed_session_outside_the_week_is_refused(self) -> None:
        week = mwf_calendar().by_week()[0]
        error = refusal(
            lambda: cc.CalendarWeek(D(2026, 3, 2), D(2026, 3, 5), D(2026, 3, 8), (), week.closed)
        )
        assert error.field == "closed[0]"  # type: ignore[attr-defined]

    def test_a_scheduled_session_by_hand(self) -> None:
        """Monday 2 March 2026, 09:00 in New York is 14:00 UTC (EST, before the clock
        change); the same session on 9 March is 13:00 UTC (EDT)."""
        cal = mwf_calendar()
        monday = cal.sessions[0]
        zone = cal.zone
        at_nine = int(pendulum.datetime(2026, 3, 2, 14, tz="UTC").timestamp()) * 1_000_000
        again = cc.ScheduledSession(monday.session, 0, 0, D(2026, 3, 2), at_nine, zone)
        assert again == monday and str(again) == "Mon 2026-03-02 09:00-12:00 EST"
        after = int(pendulum.datetime(2026, 3, 9, 13, tz="UTC").timestamp()) * 1_000_000
        next_week = cc.ScheduledSession(monday.session, 0, 1, D(2026, 3, 9), after, zone)
        assert next_week == cal.sessions[2] and next_week.start.hour == 9

    @pytest.mark.parametrize(
        ("changes", "field", "says"),
        [
            ({"day": D(2026, 3, 3)}, "day", "a Monday, the day the session is held on"),
            ({"utc_us": 0}, "utc_us", "start on day (2026-03-02) in zone (America/New_York)"),
            ({"zone": "UTC"}, "utc_us", "start on day (2026-03-02) in zone (UTC)"),
            ({"zone": 3}, "zone", "an IANA time-zone name, a zoneinfo.ZoneInfo or a pendulum"),
            ({"session": "Monday"}, "session", "a Session"),
            ({"index": -1}, "index", ""),
            ({"week": -1}, "week", ""),
        ],
    )
    def test_a_scheduled_session_by_hand_is_refused_when_inconsistent(
        self, changes: dict[str, object], field: str, says: str
    ) -> None:
        monday = mwf_calendar().sessions[0]
        fields: dict[str, object] = {
            "session": monday.session,
            "index": 0,
            "week": 0,
            "day": D(2026, 3, 2),
            "utc_us": int(pendulum.datetime(2026, 3, 2, 14, tz="UTC").timestamp()) * 1_000_000,
            "zone": monday.start.timezone,
        }
        fields.update(changes)
        error = refusal(lambda: cc.ScheduledSession(**fields))  # type: ignore[arg-type]
        assert error.field == field and says in str(error)  # type: ignore[attr-defined]

    def test_a_fortnightly_session_is_held_in_its_weeks_only(self) -> None:
        session = cc.Session(
            pendulum.WeekDay.MONDAY,
            pendulum.time(9),
            [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=2))],
            every_weeks=2,
            week_offset=1,
        )
        zone = pendulum.timezone("UTC")
        at = int(pendulum.datetime(2026, 3, 2, 9, tz="UTC").timestamp()) * 1_000_000
        error = refusal(lambda: cc.ScheduledSession(session, 0, 0, D(2026, 3, 2), at, zone))
        assert error.field == "week"  # type: ignore[attr-defined]
        assert "a week the session is held in (every 2 week(s) from week 1)" in str(error)
        assert cc.ScheduledSession(session, 0, 1, D(2026, 3, 2), at, zone).week == 1


# ---- episodes: the level on a day, and what was authorized ------------------------------------


def php_then_iop() -> cc.Episode:
    """PHP from Monday 2 March 2026, stepping down to IOP on Monday 16 March."""
    return cc.Episode.admit("c-1", "PHP", D(2026, 3, 2), continuum=GENERIC).step_to(
        "IOP", D(2026, 3, 16), "stable"
    )


class TestEpisodeDays:
    def test_the_level_on_a_day(self) -> None:
        """A step down takes effect on its day: 15 March is PHP, 16 March IOP."""
        episode = php_then_iop()
        assert episode.level_on(D(2026, 3, 1)) is None
        assert episode.level_on(D(2026, 3, 2)) == GENERIC["PHP"]
        assert episode.level_on(D(2026, 3, 15)) == GENERIC["PHP"]
        assert episode.level_on(D(2026, 3, 16)) == GENERIC["IOP"]
        assert episode.level_on(date(2026, 12, 31)) == GENERIC["IOP"]
        assert episode.level_on("2026-03-02") == GENERIC["PHP"]
        with pytest.raises(cc.CareContinuumError):
            episode.level_on("2 March 2026")

    def test_days_of_a_stay(self) -> None:
        """The PHP stay lasted 14 days (2 to 15 March); through 2 March it had 1 day."""
        php, iop = php_then_iop().stays
        assert php.length == 14 and iop.length is None
        assert php.days_through(D(2026, 3, 2)) == 1 and php.days_through(D(2026, 3, 1)) == 0
        assert php.days_through(D(2026, 3, 31)) == 14
        assert iop.days_through(D(2026, 3, 16)) == 1 and iop.days_through(D(2026, 3, 20)) == 5
        assert php_then_iop().days_by_level(D(2026, 3, 20)) == {
            GENERIC["PHP"]: 14,
            GENERIC["IOP"]: 5,
        }

    def test_an_authorization_covers_its_days_inclusive(self) -> None:
        grant = cc.Authorization(GENERIC["PHP"], D(2026, 3, 2), D(2026, 3, 15))
        assert grant.covers(D(2026, 3, 2)) and grant.covers(D(2026, 3, 15))
        assert not grant.covers(D(2026, 3, 1)) and not grant.covers(D(2026, 3, 16))
        assert grant.covers(date(2026, 3, 10)) and grant.days == 14
        assert grant.covers("2026-03-02")
        with pytest.raises(cc.CareContinuumError):
            grant.covers("2 March 2026")

    def test_the_days_delivered_differ_from_the_days_authorized(self) -> None:
        """PHP authorized 2-13 March, IOP from 16 March: 14 and 15 March were PHP days with
        no authorization, and 21 March onwards are past the IOP authorization's end."""
        episode = (
            php_then_iop()
            .authorize("PHP", D(2026, 3, 2), D(2026, 3, 13), payer="Medicaid")
            .authorize("IOP", D(2026, 3, 16), D(2026, 3, 20))
        )
        assert episode.authorized_on(D(2026, 3, 13)).level == GENERIC["PHP"]  # type: ignore[union-attr]
        assert episode.authorized_on(D(2026, 3, 14)) is None
        assert episode.authorized_on(date(2026, 3, 16)).level == GENERIC["IOP"]  # type: ignore[union-attr]
        assert episode.days_authorization_differs() == (cc.Span(D(2026, 3, 14), D(2026, 3, 15)),)
        assert episode.days_authorization_differs(D(2026, 3, 22)) == (
            cc.Span(D(2026, 3, 14), D(2026, 3, 15)),
            cc.Span(D(2026, 3, 21), D(2026, 3, 22)),
        )
        assert episode.days_authorization_differs(D(2026, 3, 13)) == ()

    def test_an_authorization_of_another_level_differs(self) -> None:
        """IOP authorized while PHP is delivered: every PHP day differs, one run of 14 days."""
        episode = php_then_iop().authorize("IOP", D(2026, 3, 2), D(2026, 3, 17))
        (run,) = episode.days_authorization_differs()
        assert (run.minimum, run.maximum) == (D(2026, 3, 2), D(2026, 3, 15))
        assert (run.maximum - run.minimum).days + 1 == 14

    def test_after_discharge_the_discharge_day_is_not_a_day_of_care(self) -> None:
        episode = php_then_iop().discharge(D(2026, 3, 20), cc.DischargeReason.COMPLETED)
        assert episode.days_authorization_differs() == (cc.Span(D(2026, 3, 2), D(2026, 3, 19)),)

    def test_without_authorizations_or_discharge_only_the_admission_day_is_counted(self) -> None:
        assert php_then_iop().days_authorization_differs() == (
            cc.Span(D(2026, 3, 2), D(2026, 3, 2)),
        )

    def test_through_any_day_is_one_run_per_stretch(self) -> None:
        """Runs, not days: through 9999-12-31, the unauthorized days are one run, answered at
        once (the work grows with the stays and authorizations, not the days they span)."""
        episode = php_then_iop()
        assert episode.days_authorization_differs(date.max) == (
            cc.Span(D(2026, 3, 2), D(9999, 12, 31)),  # PHP then IOP, neither authorized: joined
        )
        php = episode.authorize("PHP", D(2026, 3, 2), D(2026, 3, 15))
        assert php.days_authorization_differs(date.max) == (
            cc.Span(D(2026, 3, 16), D(9999, 12, 31)),
        )

    def test_ending_a_concurrent_service(self) -> None:
        """Opioid treatment alongside IOP, from 2 to 20 March."""
        asam = cc.Episode.admit("c-2", "2.1", D(2026, 3, 2), continuum=ASAM3)
        with_otp = asam.add_concurrent("OTP", D(2026, 3, 2))
        ended = with_otp.end_concurrent("OTP", D(2026, 3, 20))
        (otp,) = ended.concurrent
        assert otp.level == ASAM3["OTP"] and otp.end == D(2026, 3, 20)
        with pytest.raises(cc.TransitionError) as info:
            ended.end_concurrent("OTP", D(2026, 3, 21))
        assert "is not running alongside the main stay" in str(info.value)
        with pytest.raises(cc.TransitionError):
            with_otp.end_concurrent("OTP", D(2026, 3, 1))


class TestCalendarBetween:
    def test_narrowing_keeps_the_days_asked_for(self) -> None:
        """3 to 10 March of the closed-on-the-4th MWF calendar: Friday 6 and Monday 9 held,
        Wednesday 4 closed."""
        part = mwf_calendar().between(D(2026, 3, 3), D(2026, 3, 10))
        assert (part.first, part.last) == (D(2026, 3, 3), D(2026, 3, 10))
        assert [s.day for s in part.sessions] == [D(2026, 3, 6), D(2026, 3, 9)]
        assert [s.day for s in part.closed] == [D(2026, 3, 4)]
        assert part.closures == (D(2026, 3, 4),)
        edges = mwf_calendar().between(D(2026, 3, 6), D(2026, 3, 6))
        assert [s.day for s in edges.sessions] == [D(2026, 3, 6)] and edges.closures == ()

    def test_narrowing_is_clipped_to_the_calendar(self) -> None:
        part = mwf_calendar().between(D(2026, 2, 1), D(2026, 12, 31))
        assert (part.first, part.last) == (D(2026, 3, 2), D(2026, 3, 15))
        assert len(part) == 5

    def test_an_empty_or_reversed_period_is_refused(self) -> None:
        error = refusal(lambda: mwf_calendar().between(D(2026, 3, 10), D(2026, 3, 3)))
        assert error.field == "last"  # type: ignore[attr-defined]
        assert "a day on or after first (2026-03-10)" in str(error)
        error = refusal(lambda: mwf_calendar().between(D(2026, 4, 1), D(2026, 4, 30)))
        assert error.field == "first"  # type: ignore[attr-defined]
        assert "a period overlapping the calendar's (2026-03-02 to 2026-03-15)" in str(error)


class TestProgramTotals:
    def test_hours_over_a_run_of_weeks(self) -> None:
        """Three 3-hour sessions a week and a 2-hour group every other week (from week 0):
        over 3 weeks, 9 sessions of 3 hours and 2 of 2 hours, 31 hours."""
        base = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        fortnightly = cc.Session(
            pendulum.WeekDay.SATURDAY,
            pendulum.time(9),
            [cc.Segment(cc.Service.GROUP_THERAPY, pendulum.duration(hours=2))],
            every_weeks=2,
        )
        p = cc.ProgramStructure(
            GENERIC["IOP"],
            cc.Population.ADULT,
            cc.Track.SUBSTANCE_USE,
            [*base.sessions, fortnightly],
            8,
        )
        assert p.hours_over(3) == pendulum.duration(hours=31)
        assert p.sessions_over(3) == 11 and p.hours_over(0) == pendulum.duration()
        assert p.total_hours == pendulum.duration(hours=8 * 9 + 4 * 2)
        with pytest.raises(cc.InvalidValueError):
            p.hours_over(-1)


class TestCalendarRefusalsQuoteTheValue:
    @pytest.mark.parametrize(
        ("days", "message"),
        [
            (
                ("2 March 2026", D(2026, 3, 2), D(2026, 3, 8)),
                "'monday' must be a date or an ISO 8601 date 'YYYY-MM-DD' (got '2 March 2026')",
            ),
            (
                (D(2026, 3, 2), "2 March 2026", D(2026, 3, 8)),
                "'first' must be a date or an ISO 8601 date 'YYYY-MM-DD' (got '2 March 2026')",
            ),
            (
                (D(2026, 3, 2), D(2026, 3, 2), "x"),
                "'last' must be a date or an ISO 8601 date 'YYYY-MM-DD' (got 'x')",
            ),
            (
                (date(2026, 3, 3), D(2026, 3, 3), D(2026, 3, 8)),
                "'monday' must be a Monday (got datetime.date(2026, 3, 3))",
            ),
            (
                (D(2026, 3, 2), D(2026, 3, 5), date(2026, 3, 4)),
                "'last' must be a day from first (2026-03-05) to the end of monday's week "
                "(got datetime.date(2026, 3, 4))",
            ),
        ],
    )
    def test_a_week_by_hand(self, days: tuple[object, ...], message: str) -> None:
        week = mwf_calendar().by_week()[0]
        error = refusal(lambda: cc.CalendarWeek(*days, week.sessions, ()))  # type: ignore[arg-type, misc]
        assert str(error).startswith(message)

    def test_a_week_of_one_day(self) -> None:
        friday = mwf_calendar().by_week()[0].sessions[-1]
        week = cc.CalendarWeek(D(2026, 3, 2), D(2026, 3, 6), D(2026, 3, 6), (friday,), ())
        assert week.days_in_period == 1 and week.days == 1

    @pytest.mark.parametrize(
        ("which", "message"),
        [
            ("sessions", "'sessions' must be a sequence of a ScheduledSession (got 'x')"),
            ("closed", "'closed' must be a sequence of a ScheduledSession (got 'x')"),
        ],
    )
    def test_a_weeks_sessions_are_scheduled_sessions(self, which: str, message: str) -> None:
        week = mwf_calendar().by_week()[0]
        parts = {"sessions": week.sessions, "closed": (), which: "x"}
        error = refusal(
            lambda: cc.CalendarWeek(D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 8), **parts)  # type: ignore[arg-type]
        )
        assert str(error).startswith(message)

    def test_a_session_outside_the_week_is_quoted(self) -> None:
        week = mwf_calendar().by_week()[0]
        error = refusal(
            lambda: cc.CalendarWeek(D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 3), week.sessions, ())
        )
        assert str(error).startswith(
            "'sessions[1]' must be a session from 2026-03-02 to 2026-03-03 (got ScheduledSession("
        )

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"last": "15 March"},
                "'last' must be a date or an ISO 8601 date 'YYYY-MM-DD' (got '15",
            ),
            (
                {"last": date(2026, 3, 31)},
                "'last' must be a last day from 2026-03-15 to 2026-03-15 (the program's 2 "
                "weeks from 2026-03-02) (got datetime.date(2026, 3, 31))",
            ),
            (
                {"zone": 3},
                "'zone' must be an IANA time-zone name, a zoneinfo.ZoneInfo or a pendulum",
            ),
            ({"sessions": (1,)}, "'sessions[0]' must be a ScheduledSession (got 1)"),
            ({"closed": (1,)}, "'closed[0]' must be a ScheduledSession (got 1)"),
        ],
    )
    def test_a_calendar_by_hand(self, changes: dict[str, object], message: str) -> None:
        cal = mwf_calendar()
        fields: dict[str, object] = {
            "program": cal.program,
            "zone": cal.zone,
            "first": cal.first,
            "last": cal.last,
            "sessions": cal.sessions,
            "closed": cal.closed,
            "closures": cal.closures,
        }
        fields.update(changes)
        error = refusal(lambda: cc.Calendar(**fields))  # type: ignore[arg-type]
        assert str(error).startswith(message)


@pytest.mark.parametrize(
    ("ask", "field"),
    [
        (lambda e: e.level_on("2 March 2026"), "day"),
        (lambda e: e.authorized_on("2 March 2026"), "day"),
        (lambda e: e.stays[0].days_through("2 March 2026"), "day"),
        (lambda e: e.days_authorization_differs("20 March 2026"), "through"),
        (lambda e: e.end_concurrent("OP", "20 March 2026"), "on"),
        (
            lambda e: cc.Authorization(GENERIC["PHP"], D(2026, 3, 2), D(2026, 3, 15)).covers("x"),
            "day",
        ),
        (
            lambda e: cc.ProgramStructure.weekly(
                GENERIC["IOP"], days=["mon"], hours_per_session=3, weeks=8
            ).hours_over(-1),
            "weeks",
        ),
    ],
)
def test_a_day_that_is_not_a_date_is_refused_by_name(ask: object, field: str) -> None:
    """Even an episode with no authorization refuses a day that is not a date."""
    error = refusal(lambda: ask(php_then_iop()))  # type: ignore[operator]
    assert error.field == field  # type: ignore[attr-defined]


def test_levels_refusals_quote_the_value() -> None:
    assert str(refusal(lambda: level("X", 0, aliases="IOP"))).startswith(
        "'aliases' must be a tuple of strings (got 'IOP')"
    )
    assert str(refusal(lambda: level("X", 0, setting=OUT, overnight=True))).startswith(
        "'overnight' must be False for a level in the outpatient setting (got True)"
    )
    assert (
        refusal(
            lambda: cc.LevelOfCare(
                "X", "", "S", OUT, overnight=False, supervision=SCHEDULED, rank=0
            )
        ).field
        == "name"
    )  # type: ignore[attr-defined]
    assert (
        refusal(
            lambda: cc.LevelOfCare(
                "X", "x", "", OUT, overnight=False, supervision=SCHEDULED, rank=0
            )
        ).field
        == "scheme"
    )  # type: ignore[attr-defined]
    twins = [level("A", 0), level("B", 0)]
    assert str(refusal(lambda: cc.Continuum("CLINIC", "c", twins, "s"))).startswith(
        "'levels[1].rank' must be a rank no other level has (got 0)"
    )
    other = cc.LevelOfCare("A", "A", "OTHER", OUT, overnight=False, supervision=SCHEDULED, rank=0)
    assert str(refusal(lambda: cc.Continuum("CLINIC", "c", [other], "s"))).startswith(
        "'levels[0].scheme' must be the continuum's scheme 'CLINIC' (got 'OTHER')"
    )
