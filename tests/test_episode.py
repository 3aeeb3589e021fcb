"""Episodes of care: admission, steps up and down, concurrent services, authorizations, discharge,
and the transition rules."""

from __future__ import annotations

import copy
import functools
import itertools
import pickle
import types
from datetime import date, timedelta

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecontinuum as cc
from carecontinuum import rulesets
from carecontinuum.catalogs import ASAM3, GENERIC, LOCUS
from fuzzing import cpu_time
from strategies import continua

D = pendulum.date
DOWN, UP, LATERAL = cc.Direction.STEP_DOWN, cc.Direction.STEP_UP, cc.Direction.LATERAL
TRANSFER = cc.Direction.TRANSFER


def journey() -> cc.Episode:
    """The path the domain notes describe, from detox to recovery support."""
    return (
        cc.Episode.admit("c-1", "DETOX", D(2026, 1, 5), continuum=GENERIC)
        .step_to("RESIDENTIAL", D(2026, 1, 10), "withdrawal complete")
        .step_to("PHP", D(2026, 2, 9), "stable")
        .step_to("IOP", D(2026, 3, 2), "stable")
        .step_to("OP", D(2026, 4, 27), "goals met")
        .step_to("RECOVERY", D(2026, 6, 22), "goals met")
    )


def Assessed(on: date) -> cc.Assessment:  # noqa: N802 (reads like the value it makes)
    """An ASAM3 assessment on `on`: the transition rules read only its date."""
    return cc.Assessment("ASAM3", {"1": 0, "2": 0, "3": 2, "4": 1, "5": 1, "6": 1}, on)


class TestJourney:
    def test_detox_to_recovery_is_five_step_downs(self) -> None:
        """Detox, residential, PHP, IOP, outpatient, recovery support: five steps down."""
        episode = journey()
        assert [t.direction for t in episode.transitions] == [DOWN] * 5
        assert [s.level.code for s in episode.stays] == [
            "DETOX",
            "RESIDENTIAL",
            "PHP",
            "IOP",
            "OP",
            "RECOVERY",
        ]
        assert episode.current_level == GENERIC["RECOVERY"]
        assert episode.admitted_on == D(2026, 1, 5) and episode.is_open

    def test_relapse_from_outpatient_to_iop_is_a_step_up(self) -> None:
        """Stepping back up when the client relapses."""
        episode = journey().step_to(
            "IOP", D(2026, 7, 1), "relapse", assessment=Assessed(D(2026, 6, 30))
        )
        assert episode.transitions[-1].direction is UP
        assert episode.transitions[-1].from_level == GENERIC["RECOVERY"]

    def test_stays_tile_and_lengths_add_up(self) -> None:
        """Each stay ends the day the next begins; days by level sum to the episode's length."""
        episode = journey().discharge(D(2026, 9, 1), cc.DischargeReason.COMPLETED)
        for a, b in itertools.pairwise(episode.stays):
            assert a.end == b.start
        assert episode.stays[-1].end == episode.discharged_on == D(2026, 9, 1)
        by_level = episode.days_by_level()
        assert by_level[GENERIC["DETOX"]] == 5 and by_level[GENERIC["IOP"]] == 56
        assert sum(by_level.values()) == (D(2026, 9, 1) - D(2026, 1, 5)).days
        assert episode.current_level is None and not episode.is_open

    def test_open_stays_count_through_a_day(self) -> None:
        """The current stay's days are counted through the day asked about."""
        episode = journey()
        assert GENERIC["RECOVERY"] not in episode.days_by_level()
        through = episode.days_by_level(through=D(2026, 6, 29))
        assert through[GENERIC["RECOVERY"]] == 8  # 22 to 29 June, both days counted
        assert through[GENERIC["IOP"]] == 56  # ended stays count whole
        early = episode.days_by_level(through=D(2026, 1, 5))
        assert early == {GENERIC["DETOX"]: 1}  # the admission day; later levels not reached
        assert episode.level_on(D(2026, 3, 1)) == GENERIC["PHP"]
        assert episode.level_on(D(2025, 12, 31)) is None

    def test_a_program_change_at_the_same_level_is_lateral(self) -> None:
        """Moving from a day IOP to an evening IOP is a lateral move."""
        day = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        evening = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8, start="18:00"
        )
        episode = cc.Episode.admit("c-1", "IOP", D(2026, 3, 2), continuum=GENERIC, program=day)
        moved = episode.step_to("IOP", D(2026, 3, 16), "work hours", program=evening)
        assert moved.transitions[0].direction is LATERAL
        assert moved.stays[-1].program == evening


class TestTransfers:
    """Moves between pathways (ASAM 3rd edition's withdrawal-management chain, opioid
    treatment) are transfers, not steps up or down by the level number."""

    def test_out_of_withdrawal_management_is_a_transfer(self) -> None:
        """3.7-WM to 3.5 and 3.2-WM to 3.5 (a higher number) are both transfers; 3.7-WM to
        2.1 too."""
        for wm, to in (("3.7-WM", "3.5"), ("3.2-WM", "3.5"), ("3.7-WM", "2.1")):
            episode = cc.Episode.admit("c", wm, D(2026, 1, 5), continuum=ASAM3).step_to(
                to, D(2026, 1, 9), "withdrawal complete"
            )
            assert episode.transitions[0].direction is TRANSFER, (wm, to)

    def test_into_withdrawal_management_and_opioid_treatment_are_transfers(self) -> None:
        """2.1 to 1-WM (a lower number) and 2.1 to OTP are transfers too."""
        base = cc.Episode.admit("c", "2.1", D(2026, 1, 5), continuum=ASAM3)
        assert base.step_to("1-WM", D(2026, 2, 1), "r").transitions[0].direction is TRANSFER
        assert base.step_to("OTP", D(2026, 2, 1), "r").transitions[0].direction is TRANSFER

    def test_moves_along_one_pathway_are_still_steps(self) -> None:
        """Within the main chain, or within the WM chain, the number still orders the moves."""
        main = cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3)
        assert main.step_to("2.1", D(2026, 2, 1), "r").transitions[0].direction is DOWN
        assert main.step_to("3.7", D(2026, 2, 1), "r").transitions[0].direction is UP
        wm = cc.Episode.admit("c", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
        assert wm.step_to("3.2-WM", D(2026, 1, 8), "r").transitions[0].direction is DOWN
        assert wm.step_to("4-WM", D(2026, 1, 8), "r").transitions[0].direction is UP

    def test_a_transition_must_carry_the_direction_its_levels_give(self) -> None:
        """A stored transfer called a step down is refused, and a step called a transfer."""
        wm, res, iop = ASAM3["3.7-WM"], ASAM3["3.5"], ASAM3["2.1"]
        assert cc.Transition(wm, res, D(2026, 1, 9), "r", TRANSFER).direction is TRANSFER
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Transition(wm, res, D(2026, 1, 9), "r", DOWN)
        assert info.value.field == "direction" and "TRANSFER" in str(info.value)
        with pytest.raises(cc.InvalidValueError):
            cc.Transition(res, iop, D(2026, 1, 9), "r", TRANSFER)


def iop_program(level: cc.LevelOfCare = GENERIC["IOP"], hours: float = 3) -> cc.ProgramStructure:
    return cc.ProgramStructure.weekly(
        level, days=["mon", "wed", "fri"], hours_per_session=hours, weeks=8
    )


class TestStayProgram:
    """A stay's program is at the stay's level (or one it crosswalks to exactly)."""

    def test_a_program_of_another_level_is_refused(self) -> None:
        """An ASAM3 2.1 stay carrying a one-hour GENERIC OP program: refused, naming
        `program`, with the program's level as the value."""
        op = cc.ProgramStructure.weekly(GENERIC["OP"], days=["mon"], hours_per_session=1, weeks=8)
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Stay(ASAM3["2.1"], D(2026, 3, 2), program=op)
        assert info.value.field == "program" and info.value.value == GENERIC["OP"]
        assert "ASAM3 2.1" in str(info.value) and "GENERIC IOP" in str(info.value)
        with pytest.raises(cc.InvalidValueError):
            cc.Episode.admit("c", "2.1", D(2026, 3, 2), continuum=ASAM3, program=op)
        with pytest.raises(cc.InvalidValueError):
            cc.Episode.admit("c", "3.5", D(2026, 3, 2), continuum=ASAM3).step_to(
                "2.1", D(2026, 4, 1), "stable", program=op
            )

    def test_a_program_at_the_level_or_its_exact_crosswalk_is_kept(self) -> None:
        """The stay's own level, GENERIC IOP for ASAM3 2.1 (exact), and ASAM3 3.5 for a
        GENERIC RESIDENTIAL stay (one of its exact correspondents)."""
        own = iop_program(ASAM3["2.1"])
        assert cc.Stay(ASAM3["2.1"], D(2026, 3, 2), program=own).program == own
        generic = iop_program()
        assert cc.Stay(ASAM3["2.1"], D(2026, 3, 2), program=generic).program == generic
        episode = cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3).step_to(
            "2.1", D(2026, 2, 2), "stable", program=generic
        )
        assert episode.stays[-1].program == generic
        residential = iop_program(ASAM3["3.5"], hours=2)
        stay = cc.Stay(GENERIC["RESIDENTIAL"], D(2026, 1, 5), program=residential)
        assert stay.program == residential

    def test_an_approximate_crosswalk_is_not_enough(self) -> None:
        """ASAM3 3.7 (medically monitored inpatient care) maps to GENERIC RESIDENTIAL only
        approximately, and LOCUS 3 to GENERIC IOP: a program at the generic level is refused,
        and so is a 3.7 program for a GENERIC RESIDENTIAL stay."""
        with pytest.raises(cc.InvalidValueError):
            cc.Stay(ASAM3["3.7"], D(2026, 1, 5), program=iop_program(GENERIC["RESIDENTIAL"]))
        with pytest.raises(cc.InvalidValueError):
            cc.Stay(GENERIC["RESIDENTIAL"], D(2026, 1, 5), program=iop_program(ASAM3["3.7"]))
        with pytest.raises(cc.InvalidValueError):
            cc.Stay(LOCUS["3"], D(2026, 1, 5), program=iop_program())
        assert cc.Stay(LOCUS["3"], D(2026, 1, 5), program=iop_program(LOCUS["3"])).program

    def test_a_level_of_an_uncatalogued_scheme_takes_only_its_own_programs(self) -> None:
        """No crosswalk reaches a scheme of the clinic's own: only its own level fits."""
        own = cc.LevelOfCare(
            "DAY",
            "Day program",
            "CLINIC",
            cc.Setting.OUTPATIENT,
            overnight=False,
            supervision=cc.Supervision.SCHEDULED,
            rank=1,
        )
        assert cc.Stay(own, D(2026, 1, 5), program=iop_program(own)).program is not None
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Stay(own, D(2026, 1, 5), program=iop_program())
        assert "(none)" in str(info.value)


class TestErrors:
    def test_a_date_before_the_last_event_is_refused(self) -> None:
        """History is appended, never rewritten."""
        with pytest.raises(cc.TransitionError) as info:
            journey().step_to("IOP", D(2026, 6, 1))
        assert "before the episode's last event (2026-06-22)" in str(info.value)

    def test_anything_after_discharge_is_refused(self) -> None:
        """A discharged episode takes no step, service or second discharge, and no
        authorization beginning after the discharge day."""
        done = journey().discharge(D(2026, 9, 1), cc.DischargeReason.COMPLETED)
        for attempt in (
            lambda: done.step_to("IOP", D(2026, 9, 2)),
            lambda: done.discharge(D(2026, 9, 2), cc.DischargeReason.OTHER),
        ):
            with pytest.raises(cc.TransitionError):
                attempt()
        with pytest.raises(cc.InvalidValueError) as info:
            done.authorize("OP", D(2026, 9, 2), D(2026, 9, 30))
        assert info.value.field == "start"
        assert "on or before the discharge (2026-09-01)" in str(info.value)

    def test_a_level_of_another_continuum_is_refused(self) -> None:
        """An ASAM level in a GENERIC episode, or an unknown code."""
        with pytest.raises(cc.TransitionError):
            journey().step_to(ASAM3["2.1"], D(2026, 7, 1))
        with pytest.raises(cc.TransitionError):
            journey().step_to("2.1", D(2026, 7, 1))

    def test_a_transition_to_the_current_level_is_refused(self) -> None:
        """A 'transition' needs another level (or another program)."""
        with pytest.raises(cc.TransitionError):
            journey().step_to("RECOVERY", D(2026, 7, 1))

    @pytest.mark.parametrize(
        ("call", "error"),
        [
            (
                lambda: cc.Episode.admit("", "IOP", D(2026, 1, 1), continuum=GENERIC),
                cc.InvalidValueError,
            ),
            (
                lambda: cc.Episode.admit("c", "IOP", "01/01/2026", continuum=GENERIC),
                cc.InvalidValueError,
            ),
            (
                lambda: cc.Episode.admit("c", "IOP", 20260101, continuum=GENERIC),  # type: ignore[arg-type]
                cc.InvalidTypeError,
            ),
            (
                lambda: cc.Episode.admit(
                    "c", "IOP", pendulum.datetime(2026, 1, 1), continuum=GENERIC
                ),
                cc.InvalidTypeError,
            ),
            (
                lambda: cc.Episode.admit("c", "IOP", D(2026, 1, 1), continuum="generic"),
                cc.InvalidValueError,
            ),
            (
                lambda: cc.Episode.admit("c", "IOP", D(2026, 1, 1), continuum=3),  # type: ignore[arg-type]
                cc.InvalidTypeError,
            ),
            (
                lambda: cc.Episode.admit("c", 3, D(2026, 1, 1), continuum=GENERIC),
                cc.InvalidTypeError,
            ),  # type: ignore[arg-type]
            (lambda: journey().discharge(D(2026, 9, 1), "done"), cc.InvalidValueError),
            (lambda: journey().discharge(D(2026, 9, 1), 1), cc.InvalidTypeError),  # type: ignore[arg-type]
            (lambda: journey().step_to("IOP", D(2026, 7, 1), 5), cc.InvalidTypeError),  # type: ignore[arg-type]
        ],
    )
    def test_malformed_arguments_are_library_errors(
        self, call: object, error: type[Exception]
    ) -> None:
        """Bad input names its field; nothing crashes from deep inside."""
        with pytest.raises(error):
            call()  # type: ignore[operator]

    def test_a_history_that_does_not_tile_is_refused(self) -> None:
        """The constructor checks a stored history: a gap between stays is an error."""
        episode = journey()
        stays = list(episode.stays)
        stays[1] = attrs.evolve(stays[1], end=D(2026, 2, 1))
        with pytest.raises(cc.TransitionError) as info:
            cc.Episode("c-1", GENERIC, stays)
        assert "tile" in str(info.value)


class TestConcurrent:
    def test_opioid_treatment_runs_beside_the_main_stay(self) -> None:
        """OTP is recorded alongside, not as a transition, and ends at discharge."""
        episode = (
            cc.Episode.admit("c-1", "3.7", D(2026, 1, 5), continuum=ASAM3)
            .add_concurrent("OTP", D(2026, 1, 6))
            .step_to("3.5", D(2026, 1, 20), "stable")
            .discharge(D(2026, 2, 20), cc.DischargeReason.COMPLETED, referred_to=ASAM3["2.1"])
        )
        assert [t.to_level.code for t in episode.transitions] == ["3.5"]
        (otp,) = episode.concurrent
        assert (otp.level.code, otp.start, otp.end) == ("OTP", D(2026, 1, 6), D(2026, 2, 20))

    def test_withdrawal_management_runs_beside_a_main_level(self) -> None:
        """ASAM 3rd edition's WM chain is another pathway: alongside, then ended."""
        episode = (
            cc.Episode.admit("c-1", "3.5", D(2026, 1, 5), continuum=ASAM3)
            .add_concurrent("3.2-WM", D(2026, 1, 5))
            .end_concurrent("3.2-WM", D(2026, 1, 9))
        )
        assert episode.concurrent[0].length == 4
        assert episode.current_level == ASAM3["3.5"]

    def test_a_main_pathway_level_cannot_run_alongside(self) -> None:
        """IOP beside residential is a transition, not a concurrent service."""
        with pytest.raises(cc.TransitionError):
            cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3).add_concurrent(
                "2.1", D(2026, 1, 6)
            )
        running = cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3).add_concurrent(
            "OTP", D(2026, 1, 6)
        )
        with pytest.raises(cc.TransitionError):
            running.add_concurrent("OTP", D(2026, 1, 7))
        with pytest.raises(cc.TransitionError):
            running.end_concurrent("1-WM", D(2026, 1, 7))


class TestAuthorizations:
    def test_days_the_authorized_level_differs_from_the_delivered_one(self) -> None:
        """PHP authorized for two weeks, but the client stepped down to IOP after one: the
        second week differs; days past the authorization differ too."""
        episode = (
            cc.Episode.admit("c-1", "PHP", D(2026, 3, 2), continuum=GENERIC)
            .authorize(
                "PHP",
                D(2026, 3, 2),
                D(2026, 3, 15),
                payer="Acme",
                next_review=D(2026, 3, 13),
                units=10,
            )
            .step_to("IOP", D(2026, 3, 9), "stable")
        )
        differing = episode.days_authorization_differs(through=D(2026, 3, 17))
        assert differing == (cc.Span(D(2026, 3, 9), D(2026, 3, 17)),)
        assert episode.authorized_on(D(2026, 3, 10)).level == GENERIC["PHP"]  # type: ignore[union-attr]
        assert episode.authorizations[0].next_review == D(2026, 3, 13)

    def test_overlapping_authorizations_are_refused(self) -> None:
        """One authorization at a time."""
        episode = cc.Episode.admit("c-1", "PHP", D(2026, 3, 2), continuum=GENERIC).authorize(
            "PHP", D(2026, 3, 2), D(2026, 3, 15)
        )
        with pytest.raises(cc.InvalidValueError):
            episode.authorize("IOP", D(2026, 3, 10), D(2026, 3, 30))
        with pytest.raises(cc.InvalidValueError):
            episode.authorize("IOP", D(2026, 3, 20), D(2026, 3, 16))
        with pytest.raises(cc.InvalidValueError) as info:
            episode.authorize("IOP", D(2026, 2, 20), D(2026, 3, 3))
        assert info.value.value == D(2026, 2, 20) and "2026-03-02 to 2026-03-15" in str(info.value)
        with pytest.raises(cc.InvalidValueError) as info:
            episode.authorize("IOP", D(2025, 1, 1), D(2025, 1, 31))
        assert "admission" in str(info.value)


class TestAuthorizationsBesideAndLate:
    """Issue 15: a concurrent service's own authorization, and late paperwork."""

    @staticmethod
    def otp_episode() -> cc.Episode:
        return (
            cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3)
            .add_concurrent("OTP", D(2026, 3, 2))
            .authorize("2.1", D(2026, 3, 2), D(2026, 3, 31), units=12)
        )

    def test_a_concurrent_service_s_authorization_may_overlap_the_main_one(self) -> None:
        """OTP authorized for March to May beside 2.1 for March: both kept, each found by
        level, the main stay's without a level, and the constructor accepts the history."""
        episode = self.otp_episode().authorize("OTP", D(2026, 3, 1), D(2026, 5, 31))
        assert [a.level.code for a in episode.authorizations] == ["2.1", "OTP"]
        assert episode.authorized_on(D(2026, 3, 10)).level.code == "2.1"  # type: ignore[union-attr]
        otp = episode.authorized_on(D(2026, 3, 10), "OTP")
        assert otp is not None and otp.end == D(2026, 5, 31)
        assert episode.authorized_on(D(2026, 4, 10)).level.code == "OTP"  # type: ignore[union-attr]
        assert episode.authorized_on(D(2026, 4, 10), "2.1") is None
        rebuilt = cc.Episode("c-1", ASAM3, episode.stays, concurrent=episode.concurrent,
                             authorizations=episode.authorizations)  # fmt: skip
        assert rebuilt == episode

    def test_a_concurrent_service_s_authorization_does_not_authorize_the_main_stay(self) -> None:
        """Days of 2.1 covered only by OTP's authorization are days without one."""
        episode = (
            cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3)
            .authorize("OTP", D(2026, 3, 2), D(2026, 3, 31))
            .authorize("2.1", D(2026, 3, 9), D(2026, 3, 31))
        )
        assert episode.days_authorization_differs(D(2026, 3, 31)) == (
            cc.Span(D(2026, 3, 2), D(2026, 3, 8)),
        )

    def test_two_authorizations_of_one_level_or_pathway_may_not_overlap(self) -> None:
        """OTP twice over one day, or 2.1 beside 2.5 (one pathway), is refused, by the
        operation and by the constructor."""
        episode = self.otp_episode().authorize("OTP", D(2026, 3, 2), D(2026, 3, 31))
        for level, start, end in (
            ("OTP", D(2026, 3, 31), D(2026, 4, 30)),  # the last day of the first
            ("OTP", D(2026, 2, 1), D(2026, 3, 2)),  # the first day of the first, from before
            ("2.5", D(2026, 3, 20), D(2026, 4, 30)),
        ):
            with pytest.raises(cc.InvalidValueError) as info:
                episode.authorize(level, start, end)
            assert info.value.field == "start" and "not overlapping" in str(info.value)
        clash = cc.Authorization(ASAM3["OTP"], D(2026, 3, 31), D(2026, 4, 30))
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Episode("c-1", ASAM3, episode.stays, concurrent=episode.concurrent,
                       authorizations=[*episode.authorizations, clash])  # fmt: skip
        assert info.value.field == "authorizations[2].start"
        # The day after the first ends, each is accepted.
        assert len(episode.authorize("OTP", D(2026, 4, 1), D(2026, 4, 30)).authorizations) == 3

    def test_an_authorization_recorded_after_discharge_within_the_episode(self) -> None:
        """Late paperwork: after the discharge, a period of the episode is accepted (up to the
        discharge day itself); one beginning the day after is refused."""
        done = self.otp_episode().discharge(D(2026, 4, 20), "completed")
        late = done.authorize("2.1", D(2026, 4, 1), D(2026, 4, 20), payer="Acme")
        assert late.authorizations[-1].start == D(2026, 4, 1)
        assert late.discharged_on == D(2026, 4, 20)
        assert late.authorized_on(D(2026, 4, 15)) == late.authorizations[-1]
        assert done.authorize("2.1", D(2026, 4, 20), D(2026, 4, 20)).authorizations[-1].days == 1
        with pytest.raises(cc.InvalidValueError) as info:
            done.authorize("2.1", D(2026, 4, 21), D(2026, 4, 30))
        assert info.value.field == "start" and "2026-04-20" in str(info.value)
        rebuilt = cc.Episode(
            "c-1",
            ASAM3,
            late.stays,
            concurrent=late.concurrent,
            authorizations=late.authorizations,
            discharge=late.discharge_record,
        )
        assert rebuilt == late

    def test_an_out_of_order_authorization_beside_another_lane(self) -> None:
        """A main-level authorization recorded after a later-starting OTP one is ordered by
        start, and found."""
        episode = (
            cc.Episode.admit("c-1", "2.1", D(2026, 3, 2), continuum=ASAM3)
            .authorize("OTP", D(2026, 3, 20), D(2026, 4, 30))
            .authorize("2.1", D(2026, 3, 2), D(2026, 3, 19))
            .authorize("2.1", D(2026, 3, 20), D(2026, 4, 5))
        )
        assert episode.authorized_on(D(2026, 3, 5)).end == D(2026, 3, 19)  # type: ignore[union-attr]
        assert episode.authorized_on(D(2026, 3, 25)).level.code == "2.1"  # type: ignore[union-attr]
        assert episode.days_authorization_differs(D(2026, 4, 5)) == ()


class TestValues:
    def test_operations_leave_the_original_untouched(self) -> None:
        """Each operation returns a new episode."""
        before = journey()
        snapshot = copy.deepcopy(before)
        before.step_to("IOP", D(2026, 7, 1), assessment=Assessed(D(2026, 7, 1)))
        before.discharge(D(2026, 7, 1), cc.DischargeReason.COMPLETED)
        assert before == snapshot and before.is_open
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            before.stays = ()  # type: ignore[misc]

    def test_episodes_pickle_to_equal_values(self) -> None:
        """Episodes cross process boundaries."""
        episode = journey().discharge(D(2026, 9, 1), cc.DischargeReason.COMPLETED)
        assert pickle.loads(pickle.dumps(episode)) == episode

    def test_a_stay_an_operation_ends_is_the_stay_with_its_end_set(self) -> None:
        """The stay `step_to` and `discharge` end, and the services `end_concurrent` and
        `discharge` end, equal what ``attrs.evolve(stay, end=day)`` (the checked constructor)
        makes, every field kept, and are plain `Stay`s."""
        program = iop_program(ASAM3["2.1"])
        admitted = cc.Episode.admit(
            "c", "2.1", D(2026, 3, 2), continuum=ASAM3, reason="referred",
            assessment=Assessed(D(2026, 3, 1)), program=program,
        ).add_concurrent("OTP", D(2026, 3, 3), "opioid use disorder")  # fmt: skip
        opened, service = admitted.stays[-1], admitted.concurrent[0]
        moved = admitted.step_to("1", D(2026, 4, 27), "stable")
        discharged = moved.discharge(D(2026, 6, 1), cc.DischargeReason.COMPLETED)
        ended = admitted.end_concurrent("OTP", D(2026, 3, 20))
        for got, expected in (
            (moved.stays[0], attrs.evolve(opened, end=D(2026, 4, 27))),
            (discharged.stays[1], attrs.evolve(moved.stays[1], end=D(2026, 6, 1))),
            (discharged.concurrent[0], attrs.evolve(service, end=D(2026, 6, 1))),
            (ended.concurrent[0], attrs.evolve(service, end=D(2026, 3, 20))),
        ):
            assert got == expected and repr(got) == repr(expected)
            assert type(got) is cc.Stay and type(got.end) is type(expected.end)
        assert moved.stays[0].program is program and moved.stays[0].reason == "referred"

    def test_a_stay_of_a_subclass_is_ended_by_its_own_constructor(self) -> None:
        """A stay of an attrs subclass of `Stay` (a history built elsewhere) stays one when an
        operation ends it, its own field kept."""

        @attrs.frozen
        class Noted(cc.Stay):
            note: str = ""

        episode = cc.Episode("c", GENERIC, [Noted(GENERIC["IOP"], D(2026, 3, 2), note="n")])
        (ended, _) = episode.step_to("OP", D(2026, 4, 27), "stable").stays
        assert type(ended) is Noted and ended.note == "n" and ended.end == D(2026, 4, 27)

    def test_transitions_follow_the_episode_they_are_read_from(self) -> None:
        """The episode an operation makes from one whose transitions were read has its own,
        one move longer; a pickled or copied episode has equal ones."""
        episode = journey()
        moves = episode.transitions
        assert len(moves) == 5
        later = episode.step_to("IOP", D(2026, 7, 1), "relapse", assessment=Assessed(D(2026, 7, 1)))
        assert later.transitions[:5] == moves and len(later.transitions) == 6
        assert later.transitions[5].direction is UP and later.transitions[5].reason == "relapse"
        for again in (pickle.loads(pickle.dumps(later)), copy.copy(later), copy.deepcopy(later)):
            assert again.transitions == later.transitions


class TestRules:
    def test_the_journey_with_reasons_passes(self) -> None:
        """Every step down gave a reason; no step up; no 24-hour discharge."""
        report = cc.validate(journey(), rulesets.EPISODE_RULES)
        assert report.ok and report.findings == ()

    def test_a_step_down_that_skips_levels_is_only_noted(self) -> None:
        """Residential straight to IOP (past PHP) is routine step-down care: without a reason
        it is an INFO note, never a warning; with a reason, nothing."""
        episode = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC).step_to(
            "IOP", D(2026, 2, 1)
        )
        report = cc.validate(episode, rulesets.EPISODE_RULES)
        assert report.ok and report.warnings == ()
        assert [(f.rule_id, f.path) for f in report.infos] == [
            ("EPISODE-STEP-DOWN-SKIPS-LEVELS", "stays[1].reason")
        ]
        with_reason = cc.Episode.admit(
            "c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC
        ).step_to("IOP", D(2026, 2, 1), "PHP unavailable; strong supports at home")
        assert cc.validate(with_reason, rulesets.EPISODE_RULES).findings == ()

    @pytest.mark.parametrize(
        ("start", "to", "found"),
        [
            ("3.5", "3.1", None),  # 3.3 is an alternative to 3.5, not a step between
            ("3.7", "3.3", None),  # 3.5 is the level 3.3 stands beside
            ("3.5", "3.3", None),
            ("3.7", "3.1", "no reason; skipped 3.5 (or 3.3)"),
            ("3.5", "2.5", "no reason; skipped 3.1"),
            ("3.3", "2.1", "no reason; skipped 2.5, 3.1"),  # in the pathway's order
        ],
    )
    def test_alternatives_are_not_levels_skipped(self, start: str, to: str, found: str) -> None:
        """ASAM3 3.3 is a population-specific alternative to 3.5: passing it is not a skip."""
        episode = cc.Episode.admit("c", start, D(2026, 1, 5), continuum=ASAM3).step_to(
            to, D(2026, 2, 1)
        )
        findings = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert [f.found for f in findings] == ([] if found is None else [found])
        assert all(f.severity is cc.Severity.INFO for f in findings)

    @pytest.mark.parametrize(
        ("start", "to", "found"),
        [
            ("INPATIENT", "RESIDENTIAL", None),  # detoxification is not a step between
            ("INPATIENT", "DETOX", None),
            ("DETOX", "RESIDENTIAL", None),
            ("INPATIENT", "PHP", "no reason; skipped RESIDENTIAL"),
            ("DETOX", "IOP", "no reason; skipped PHP, RESIDENTIAL"),
        ],
    )
    def test_detox_stands_beside_the_hospital_level(self, start: str, to: str, found: str) -> None:
        """GENERIC DETOX is withdrawal management beside hospital care, not a level between
        hospital and residential care: leaving hospital for residential skips nothing."""
        episode = cc.Episode.admit("c", start, D(2026, 1, 5), continuum=GENERIC).step_to(
            to, D(2026, 2, 1)
        )
        findings = cc.validate(episode, rulesets.EPISODE_RULES).findings
        assert [f.found for f in findings] == ([] if found is None else [found])
        assert all(f.severity is cc.Severity.INFO for f in findings)

    def test_a_discharge_from_a_24_hour_level_needs_a_referral(self) -> None:
        """From residential to nothing is an error; with a referral it is not."""
        base = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        for reason in (
            cc.DischargeReason.COMPLETED,
            cc.DischargeReason.ADMINISTRATIVE,
            cc.DischargeReason.TRANSFERRED,
            cc.DischargeReason.OTHER,
        ):
            bare = base.discharge(D(2026, 2, 1), reason, note="discharged")
            assert [f.rule_id for f in cc.validate(bare, rulesets.EPISODE_RULES).errors] == [
                "EPISODE-24H-DISCHARGE-REFERRAL"
            ], reason
        referred = base.discharge(
            D(2026, 2, 1), cc.DischargeReason.COMPLETED, referred_to=GENERIC["IOP"]
        )
        assert cc.validate(referred, rulesets.EPISODE_RULES).ok
        outpatient = cc.Episode.admit("c", "OP", D(2026, 1, 5), continuum=GENERIC).discharge(
            D(2026, 2, 1), cc.DischargeReason.COMPLETED
        )
        assert cc.validate(outpatient, rulesets.EPISODE_RULES).ok

    @pytest.mark.parametrize(
        "reason", [cc.DischargeReason.AGAINST_MEDICAL_ADVICE, cc.DischargeReason.LOST_TO_CONTACT]
    )
    def test_a_client_who_left_asks_for_a_documented_attempt(
        self, reason: cc.DischargeReason
    ) -> None:
        """Against medical advice or lost to contact, the clinic may have had no chance to
        refer: no error; a warning when no discharge note documents an attempt, nothing when
        one does."""
        base = cc.Episode.admit("c", "RESIDENTIAL", D(2026, 1, 5), continuum=GENERIC)
        bare = cc.validate(base.discharge(D(2026, 2, 1), reason), rulesets.EPISODE_RULES)
        assert bare.ok and [(f.rule_id, f.path) for f in bare.warnings] == [
            ("EPISODE-24H-DISCHARGE-REFERRAL", "discharge_record.note")
        ]
        noted = base.discharge(
            D(2026, 2, 1), reason, note="called twice and wrote; gave the IOP's number"
        )
        assert cc.validate(noted, rulesets.EPISODE_RULES).findings == ()

    def test_a_step_up_needs_a_new_assessment(self) -> None:
        """No assessment, or one older than the stay being left, is an error."""
        base = cc.Episode.admit("c", "OP", D(2026, 1, 5), continuum=GENERIC)
        for assessment in (None, Assessed(D(2026, 1, 1))):
            up = base.step_to("IOP", D(2026, 2, 1), "relapse", assessment=assessment)
            assert [f.rule_id for f in cc.validate(up, rulesets.EPISODE_RULES).errors] == [
                "EPISODE-STEP-UP-ASSESSED"
            ]
        fresh = base.step_to("IOP", D(2026, 2, 1), "relapse", assessment=Assessed(D(2026, 1, 30)))
        assert cc.validate(fresh, rulesets.EPISODE_RULES).ok

    def test_a_transfer_out_of_withdrawal_management_needs_no_assessment(self) -> None:
        """3.2-WM to 3.5 was a 'step up' by the number: as a transfer it asks for no
        assessment; without a reason it is noted (INFO), with one nothing is found."""
        base = cc.Episode.admit("c", "3.2-WM", D(2026, 1, 5), continuum=ASAM3)
        for to in ("3.5", "2.1"):
            done = base.step_to(to, D(2026, 1, 9), "withdrawal complete")
            assert cc.validate(done, rulesets.EPISODE_RULES).findings == ()
        bare = cc.validate(base.step_to("3.5", D(2026, 1, 9)), rulesets.EPISODE_RULES)
        assert bare.ok and bare.warnings == ()
        assert [(f.rule_id, f.path) for f in bare.infos] == [
            ("EPISODE-TRANSFER-REASON", "stays[1].reason")
        ]

    def test_a_transfer_into_withdrawal_management_needs_a_new_assessment(self) -> None:
        """From 2.1 into 3.7-WM (new withdrawal risk) without an assessment, or with one
        older than the IOP stay: an error; with a new one, none."""
        base = cc.Episode.admit("c", "2.1", D(2026, 1, 5), continuum=ASAM3)
        for assessment in (None, Assessed(D(2026, 1, 4))):
            moved = base.step_to("3.7-WM", D(2026, 2, 1), "withdrawal", assessment=assessment)
            assert [
                (f.rule_id, f.path) for f in cc.validate(moved, rulesets.EPISODE_RULES).errors
            ] == [("EPISODE-TRANSFER-INTO-WM-ASSESSED", "stays[1].assessment")]
        fresh = base.step_to(
            "3.7-WM", D(2026, 2, 1), "withdrawal", assessment=Assessed(D(2026, 2, 1))
        )
        assert cc.validate(fresh, rulesets.EPISODE_RULES).findings == ()
        otp = base.step_to("OTP", D(2026, 2, 1), "maintenance only")  # into opioid treatment
        assert cc.validate(otp, rulesets.EPISODE_RULES).findings == ()

    def test_a_stay_past_its_program_length_is_flagged(self) -> None:
        """An 8-week IOP stay at 60 days (as of a given day) is a warning; at 50 it is not."""
        program = cc.ProgramStructure.weekly(
            GENERIC["IOP"], days=["mon", "wed", "fri"], hours_per_session=3, weeks=8
        )
        episode = cc.Episode.admit("c", "IOP", D(2026, 3, 2), continuum=GENERIC, program=program)
        late = cc.validate(episode, rulesets.EPISODE_RULES, on=D(2026, 3, 2) + timedelta(days=60))
        assert [f.rule_id for f in late.warnings] == ["EPISODE-STAY-WITHIN-PROGRAM"]
        early = cc.validate(episode, rulesets.EPISODE_RULES, on=D(2026, 3, 2) + timedelta(days=50))
        assert early.ok and early.warnings == ()
        assert cc.validate(episode, rulesets.EPISODE_RULES).warnings == ()  # no day: not judged


# ---- properties -----------------------------------------------------------------------------


@st.composite
def episodes(draw: st.DrawFn) -> tuple[cc.Episode, list[cc.Episode]]:
    """A random valid episode, with every intermediate value the operations produced."""
    continuum = draw(continua)
    main = [lvl for lvl in continuum.levels if not lvl.concurrent]
    day = pendulum.date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 365)))
    episode = cc.Episode.admit("c", draw(st.sampled_from(main)), day, continuum=continuum)
    history = [episode]
    for _ in range(draw(st.integers(0, 8))):
        day = day + timedelta(days=draw(st.integers(0, 40)))
        current = episode.current_level
        choices = [lvl for lvl in main if lvl != current]
        if not choices:
            break
        episode = episode.step_to(
            draw(st.sampled_from(choices)), day, draw(st.none() | st.just("r"))
        )
        history.append(episode)
    if draw(st.booleans()):
        day = day + timedelta(days=draw(st.integers(0, 40)))
        episode = episode.discharge(day, draw(st.sampled_from(list(cc.DischargeReason))))
        history.append(episode)
    return episode, history


@settings(max_examples=80)
@given(episodes())
def test_stays_tile_the_episode_and_directions_agree_with_order(
    built: tuple[cc.Episode, list[cc.Episode]],
) -> None:
    """No gap or overlap between stays; each direction agrees with `<` on the levels of one
    pathway, and a move between pathways is a transfer."""
    episode, _ = built
    assert episode.stays[0].start == episode.admitted_on
    for a, b in itertools.pairwise(episode.stays):
        assert a.end == b.start and a.start <= a.end
    assert (episode.stays[-1].end is None) == episode.is_open
    for move in episode.transitions:
        assert (move.direction is TRANSFER) == (move.from_level.pathway != move.to_level.pathway)
        if move.direction is TRANSFER:
            continue
        if move.direction is UP:
            assert move.from_level < move.to_level
        elif move.direction is DOWN:
            assert move.to_level < move.from_level
        else:
            assert move.from_level == move.to_level
    if not episode.is_open:
        total = sum(episode.days_by_level().values())
        assert total == (episode.discharged_on - episode.admitted_on).days  # type: ignore[operator]


@settings(max_examples=60)
@given(episodes())
def test_transitions_are_what_the_public_constructor_makes_of_each_pair_of_stays(
    built: tuple[cc.Episode, list[cc.Episode]],
) -> None:
    """Each episode's transitions (made unchecked, from stays checked when added) equal, one
    by one, the `Transition` the public constructor builds, with its checks, from each pair
    of consecutive stays."""
    _, history = built
    for episode in history:
        expected = [
            cc.Transition(a.level, b.level, b.start, b.reason, move.direction, b.assessment)
            for (a, b), move in zip(
                itertools.pairwise(episode.stays), episode.transitions, strict=True
            )
        ]
        assert list(episode.transitions) == expected
        assert [repr(m) for m in episode.transitions] == [repr(m) for m in expected]
        assert all(type(m) is cc.Transition for m in episode.transitions)
    for before, after in itertools.pairwise(history):  # the stay each operation ended
        last = len(before.stays) - 1
        day = after.stays[last].end
        assert day is not None and after.stays[last] == attrs.evolve(before.stays[last], end=day)


@settings(max_examples=60)
@given(episodes())
def test_an_episode_never_changes_after_it_is_built(
    built: tuple[cc.Episode, list[cc.Episode]],
) -> None:
    """Every intermediate episode still equals a fresh rebuild of its own history."""
    _, history = built
    for episode in history:
        rebuilt = cc.Episode(
            episode.client_id,
            episode.continuum,
            episode.stays,
            concurrent=episode.concurrent,
            authorizations=episode.authorizations,
            discharge=episode.discharge_record,
        )
        assert rebuilt == episode and hash(rebuilt) == hash(episode)
    lengths = [len(e.stays) for e in history]
    assert lengths == sorted(lengths)


@settings(max_examples=40)
@given(episodes())
def test_episode_rules_never_crash(built: tuple[cc.Episode, list[cc.Episode]]) -> None:
    """Every random episode is judged without a rule crashing."""
    episode, _ = built
    report = cc.validate(episode, rulesets.EPISODE_RULES, on=pendulum.date(2027, 6, 1))
    assert not [f for f in report.findings if "failed to run" in f.message]
    assert set(report.applied) == set(rulesets.EPISODE_RULES.ids)


def test_locus_episodes_run_on_locus_levels() -> None:
    """An episode is bound to its continuum: LOCUS here."""
    episode = cc.Episode.admit("c", "4", D(2026, 1, 5), continuum=LOCUS).step_to(
        "3", D(2026, 2, 1), "ok"
    )
    assert episode.transitions[0].direction is DOWN


# ---- issue 13: bounded work, one set of checks, assessments only ---------------------------


def otp_beside(day: pendulum.Date) -> cc.Stay:
    return cc.Stay(ASAM3["OTP"], day, None)


@functools.cache
def _long_history() -> tuple[int, cc.Episode]:
    """An open episode of 50,000 one-day stays, 50,000 services and 50,000 authorizations."""
    n = 50_000
    days = [D(1800, 1, 6).add(days=i) for i in range(n + 1)]
    stays = [cc.Stay(ASAM3[("3.5", "2.1")[i % 2]], days[i], days[i + 1]) for i in range(n)]
    stays.append(cc.Stay(ASAM3["3.5"], days[n]))
    services = [cc.Stay(ASAM3["OTP"], days[i], days[i]) for i in range(n)]
    grants = [cc.Authorization(ASAM3["3.5"], days[i], days[i]) for i in range(n)]
    return n, cc.Episode("c", ASAM3, stays, concurrent=services, authorizations=grants)


class TestBoundedWork:
    """Each operation costs what it adds; reading authorizations costs what the episode holds,
    never the days it spans."""

    def test_an_authorization_to_9999_12_30_is_judged_at_once(self) -> None:
        """Issue 13: an authorization to 9999-12-30 took 36 s. It is one run now."""
        episode = cc.Episode.admit("c", "PHP", D(2026, 1, 1), continuum=GENERIC).authorize(
            "IOP", D(2026, 1, 1), D(9999, 12, 30)
        )
        with cpu_time() as spent:
            runs = episode.days_authorization_differs()
        assert runs == (cc.Span(D(2026, 1, 1), D(9999, 12, 30)),)
        assert spent.seconds < 1

    def test_an_authorization_ending_on_the_last_day_does_not_overflow(self) -> None:
        """Issue 13: an authorization ending 9999-12-31 raised OverflowError (the day after
        the last day)."""
        episode = cc.Episode.admit("c", "PHP", D(2026, 1, 1), continuum=GENERIC).authorize(
            "PHP", D(2026, 1, 1), D(9999, 12, 31)
        )
        assert episode.days_authorization_differs() == ()
        assert episode.days_authorization_differs(date.max) == ()
        moved = episode.step_to("IOP", D(9999, 12, 31))
        assert moved.days_authorization_differs() == (cc.Span(D(9999, 12, 31), D(9999, 12, 31)),)
        last = cc.Episode.admit("c", "IOP", date.max, continuum=GENERIC)
        assert last.days_authorization_differs() == (cc.Span(D(9999, 12, 31), D(9999, 12, 31)),)

    def test_three_thousand_stays_and_authorizations(self) -> None:
        """Issue 13: 3,000 stays and 3,000 authorizations took 20 s to judge."""
        day, episode = D(2000, 1, 3), cc.Episode.admit("c", "PHP", D(2000, 1, 3), continuum=GENERIC)
        for i in range(3_000):
            day = day.add(days=3)
            level = ("IOP", "PHP")[i % 2]
            episode = episode.step_to(level, day).authorize(
                level if i % 3 else "OP", day, day.add(days=1)
            )
        with cpu_time() as spent:
            runs = episode.days_authorization_differs()
        assert spent.seconds < 1
        # Each 3-day stay has its first 2 days authorized (at another level every third
        # stay) and its 3rd day not; the admission's 3 days are not; the open last stay counts
        # through its authorization's end only.
        assert sum((r.maximum - r.minimum).days + 1 for r in runs) == 3 + 1_000 * 3 + 1_999
        assert runs[:3] == (
            cc.Span(D(2000, 1, 3), D(2000, 1, 8)),
            cc.Span(D(2000, 1, 11), D(2000, 1, 11)),
            cc.Span(D(2000, 1, 14), D(2000, 1, 17)),
        )
        assert all(a.maximum.add(days=1) < b.minimum for a, b in itertools.pairwise(runs))

    def test_ten_thousand_steps_take_well_under_a_few_seconds(self) -> None:
        """Issue 13: 10,000 steps by step_to took 4.7 s (30,000: 51 s), each step re-reading
        the whole history. A step now costs what it adds (and the copy of the tuple)."""
        episode = cc.Episode.admit("c", "PHP", D(2026, 1, 1), continuum=GENERIC)
        with cpu_time() as spent:
            for i in range(10_000):
                episode = episode.step_to(("IOP", "PHP")[i % 2], D(2026, 1, 1))
        assert spent.seconds < 3
        assert len(episode.stays) == 10_001

    @pytest.mark.parametrize("operation", ["step_to", "add_concurrent", "authorize", "discharge"])
    def test_an_operation_costs_the_same_on_a_long_history_as_on_a_short_one(
        self, operation: str
    ) -> None:
        """Issue 13: each operation copied the whole history (30,000 steps one by one took
        51 s). An operation on an episode of 50,000 stays, services and authorizations costs
        what one on a new episode does, not a copy of the 50,000 (which made it 10 to 50
        times dearer); what it made reads as the constructor's history would."""
        n, long = _long_history()
        later = long.stays[-1].start.add(days=1)
        short = cc.Episode.admit("c", "3.5", later, continuum=ASAM3)

        def run(episode: cc.Episode) -> cc.Episode:
            if operation == "step_to":
                return episode.step_to("2.1", later)
            if operation == "add_concurrent":
                return episode.add_concurrent("OTP", later)
            if operation == "authorize":
                return episode.authorize("3.5", later, later)
            return episode.discharge(later, cc.DischargeReason.COMPLETED)

        def cost(episode: cc.Episode) -> float:
            with cpu_time() as spent:
                for _ in range(300):
                    run(episode)
            return spent.seconds

        cost(short), cost(long)  # warm up
        assert min(cost(long) for _ in range(3)) < 4 * min(cost(short) for _ in range(3))
        made = run(long)
        rebuilt = cc.Episode(
            "c", ASAM3, made.stays, concurrent=made.concurrent,
            authorizations=made.authorizations, discharge=made.discharge_record,
        )  # fmt: skip
        assert made == rebuilt and hash(made) == hash(rebuilt)
        assert pickle.loads(pickle.dumps(run(short))) == run(short)
        added = {"step_to": (n + 2, n, n), "add_concurrent": (n + 1, n + 1, n),
                 "authorize": (n + 1, n, n + 1), "discharge": (n + 1, n, n)}  # fmt: skip
        assert (len(made.stays), len(made.concurrent), len(made.authorizations)) == added[operation]

    def test_long_services_and_authorizations_build_in_linear_time(self) -> None:
        """Adding and ending services and authorizing are as cheap: 3,000 of each."""
        day = D(2026, 1, 5)
        episode = cc.Episode.admit("c", "3.5", day, continuum=ASAM3)
        with cpu_time() as spent:
            for _ in range(3_000):
                episode = episode.add_concurrent("OTP", day).authorize("3.5", day, day)
                day = day.add(days=1)
                episode = episode.end_concurrent("OTP", day)
            episode = episode.discharge(day, cc.DischargeReason.COMPLETED)
        assert spent.seconds < 3
        assert len(episode.concurrent) == len(episode.authorizations) == 3_000


class TestOneSetOfChecks:
    """The constructor (and from_dict) accept exactly the histories the operations make."""

    def test_an_iop_to_iop_history_is_refused(self) -> None:
        """Issue 13: the constructor accepted IOP followed by IOP (same level, same program),
        which step_to refuses; a lateral move to another program is still accepted."""
        first = cc.Stay(GENERIC["IOP"], D(2026, 3, 2), D(2026, 3, 9))
        with pytest.raises(cc.TransitionError) as info:
            cc.Episode("c", GENERIC, [first, cc.Stay(GENERIC["IOP"], D(2026, 3, 9))])
        assert "stays[1]" in str(info.value) and "already the level of stays[0]" in str(info.value)
        day, evening = iop_program(), iop_program(hours=2)
        same = [
            attrs.evolve(first, program=day),
            cc.Stay(GENERIC["IOP"], D(2026, 3, 9), program=day),
        ]
        with pytest.raises(cc.TransitionError):
            cc.Episode("c", GENERIC, same)
        lateral = [same[0], attrs.evolve(same[1], program=evening)]
        assert cc.Episode("c", GENERIC, lateral).transitions[0].direction is LATERAL
        data = cc.to_dict(
            cc.Episode(
                "c",
                GENERIC,
                [attrs.evolve(first, level=GENERIC["PHP"]), cc.Stay(GENERIC["IOP"], D(2026, 3, 9))],
            )
        )
        data["stays"][0]["level"]["code"] = "IOP"
        with pytest.raises(cc.DataError, match=r"already the level of stays\[0\]"):
            cc.from_dict(cc.Episode, data)

    def test_overlapping_services_at_the_main_pathway_s_level_are_refused(self) -> None:
        """Issue 13: two overlapping concurrent stays at the main pathway's level were
        accepted; add_concurrent refuses both a main-pathway level and a second run of one
        level."""
        main = [cc.Stay(ASAM3["3.5"], D(2026, 1, 5))]
        beside = [cc.Stay(ASAM3["2.1"], D(2026, 1, 6)), cc.Stay(ASAM3["2.1"], D(2026, 1, 7))]
        with pytest.raises(cc.TransitionError, match=r"concurrent\[0\].*main stay's pathway"):
            cc.Episode("c", ASAM3, main, concurrent=beside)
        wm = [cc.Stay(ASAM3["3.2-WM"], D(2026, 1, 6)), cc.Stay(ASAM3["3.2-WM"], D(2026, 1, 7))]
        with pytest.raises(cc.TransitionError, match=r"concurrent\[1\].*already running"):
            cc.Episode("c", ASAM3, main, concurrent=wm)
        one_after_the_other = [attrs.evolve(wm[0], end=D(2026, 1, 7)), wm[1]]
        assert cc.Episode("c", ASAM3, main, concurrent=one_after_the_other).concurrent

    def test_a_service_may_begin_beside_any_main_stay_of_its_day(self) -> None:
        """A service added on a day the main stay changed may have been added before the
        step or after it: 3.2-WM beside 3.5 on the day the client left 3.7-WM is accepted
        (added after the step), and so is 3.2-WM the day the client moved into 3.7-WM
        (added before it); beside 3.7-WM all day, it is refused."""
        wm_then_res = [cc.Stay(ASAM3["3.7-WM"], D(2026, 1, 5), D(2026, 1, 9)),
                       cc.Stay(ASAM3["3.5"], D(2026, 1, 9))]  # fmt: skip
        service = [cc.Stay(ASAM3["3.2-WM"], D(2026, 1, 9))]
        built = cc.Episode("c", ASAM3, wm_then_res, concurrent=service)
        by_ops = (
            cc.Episode.admit("c", "3.7-WM", D(2026, 1, 5), continuum=ASAM3)
            .step_to("3.5", D(2026, 1, 9))
            .add_concurrent("3.2-WM", D(2026, 1, 9))
        )
        assert built == by_ops
        res_then_wm = [cc.Stay(ASAM3["3.5"], D(2026, 1, 5), D(2026, 1, 9)),
                       cc.Stay(ASAM3["3.7-WM"], D(2026, 1, 9))]  # fmt: skip
        assert cc.Episode("c", ASAM3, res_then_wm, concurrent=service) == (
            cc.Episode.admit("c", "3.5", D(2026, 1, 5), continuum=ASAM3)
            .add_concurrent("3.2-WM", D(2026, 1, 9))
            .step_to("3.7-WM", D(2026, 1, 9))
        )
        with pytest.raises(cc.TransitionError):
            cc.Episode(
                "c", ASAM3, wm_then_res, concurrent=[cc.Stay(ASAM3["3.2-WM"], D(2026, 1, 8))]
            )

    def test_services_are_listed_in_the_order_they_began(self) -> None:
        """add_concurrent appends, on or after the last event: a later service listed first
        is not a history the operations make."""
        main = [cc.Stay(ASAM3["3.5"], D(2026, 1, 5))]
        beside = [otp_beside(D(2026, 1, 9)), cc.Stay(ASAM3["3.2-WM"], D(2026, 1, 6))]
        with pytest.raises(cc.TransitionError, match=r"concurrent\[1\].*order they began"):
            cc.Episode("c", ASAM3, main, concurrent=beside)
        assert cc.Episode("c", ASAM3, main, concurrent=beside[::-1]).concurrent

    def test_a_service_records_no_assessment_or_program(self) -> None:
        """add_concurrent takes neither, so a stored service holding one is refused."""
        main = [cc.Stay(ASAM3["3.5"], D(2026, 1, 5))]
        with_assessment = attrs.evolve(
            otp_beside(D(2026, 1, 6)), assessment=Assessed(D(2026, 1, 6))
        )
        with pytest.raises(cc.TransitionError, match="no assessment or program"):
            cc.Episode("c", ASAM3, main, concurrent=[with_assessment])

    def test_authorizations_outside_the_episode_are_refused(self) -> None:
        """Issue 13: an authorization wholly before admission or after discharge was
        accepted. authorize() refuses the first; discharge() refuses a day before an
        authorization begins; the constructor refuses both, naming the field."""
        stays = [cc.Stay(GENERIC["IOP"], D(2026, 3, 2), D(2026, 4, 1))]
        done = cc.Discharge(D(2026, 4, 1), cc.DischargeReason.COMPLETED)
        before = cc.Authorization(GENERIC["IOP"], D(2026, 2, 1), D(2026, 3, 1))
        after = cc.Authorization(GENERIC["IOP"], D(2026, 4, 2), D(2026, 4, 30))
        for grant, field in ((before, "authorizations[0].end"), (after, "authorizations[0].start")):
            with pytest.raises(cc.InvalidValueError) as info:
                cc.Episode("c", GENERIC, stays, authorizations=[grant], discharge=done)
            assert info.value.field == field
        edges = [attrs.evolve(before, end=D(2026, 3, 2)), attrs.evolve(after, start=D(2026, 4, 1))]
        assert cc.Episode("c", GENERIC, stays, authorizations=edges, discharge=done)
        ahead = cc.Episode.admit("c", "IOP", D(2026, 3, 2), continuum=GENERIC).authorize(
            "IOP", D(2026, 4, 2), D(2026, 4, 30)
        )
        with pytest.raises(cc.InvalidValueError) as info:
            ahead.discharge(D(2026, 4, 1), cc.DischargeReason.COMPLETED)
        assert info.value.field == "on" and "2026-04-02" in str(info.value)
        assert ahead.discharge(D(2026, 4, 2), cc.DischargeReason.COMPLETED).discharged_on
        data = cc.to_dict(cc.Episode("c", GENERIC, stays, discharge=done))
        data["authorizations"] = [{k: v for k, v in cc.to_dict(after).items()
                                   if k not in ("schema", "type")}]  # fmt: skip
        with pytest.raises(cc.DataError, match=r"authorizations\[0\]\.start"):
            cc.from_dict(cc.Episode, data)

    def test_overlapping_authorizations_name_the_field(self) -> None:
        """The constructor names the later of two overlapping authorizations by its path."""
        stays = [cc.Stay(GENERIC["IOP"], D(2026, 3, 2))]
        grants = [cc.Authorization(GENERIC["IOP"], D(2026, 3, 10), D(2026, 3, 20)),
                  cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), D(2026, 3, 10))]  # fmt: skip
        with pytest.raises(cc.InvalidValueError) as info:
            cc.Episode("c", GENERIC, stays, authorizations=grants)
        assert info.value.field == "authorizations[0].start"
        assert "2026-03-02 to 2026-03-10" in str(info.value)


class TestAssessmentsOnly:
    """Issue 13: any object with an `.on` date was taken as an assessment, leaving a value
    that neither hashes nor writes as data. Only `Assessment` is taken."""

    def test_stand_ins_are_refused_everywhere_an_assessment_goes(self) -> None:
        stand_in = types.SimpleNamespace(on=D(2026, 3, 1))
        attempts = [
            lambda: cc.Stay(GENERIC["IOP"], D(2026, 3, 2), assessment=stand_in),
            lambda: cc.Transition(GENERIC["OP"], GENERIC["IOP"], D(2026, 3, 2), None, UP,
                                  stand_in),
            lambda: cc.Episode.admit("c", "IOP", D(2026, 3, 2), continuum=GENERIC,
                                     assessment=stand_in),
            lambda: journey().step_to("IOP", D(2026, 7, 1), assessment=stand_in),
        ]  # fmt: skip
        for attempt in attempts:
            with pytest.raises(cc.InvalidTypeError) as info:
                attempt()
            assert info.value.field == "assessment" and "an Assessment" in str(info.value)

    def test_an_assessed_episode_hashes_and_round_trips(self) -> None:
        episode = journey().step_to("IOP", D(2026, 7, 1), assessment=Assessed(D(2026, 6, 30)))
        assert hash(episode) == hash(cc.from_dict(cc.Episode, cc.to_dict(episode)))
        assert cc.from_dict(cc.Episode, cc.to_dict(episode)) == episode


def test_an_authorization_keeps_its_units_as_a_plain_int() -> None:
    """Units given as an int subclass (an IntEnum, found by the 100,000-example fuzz run) are
    kept as the plain int they stand for: the value equals, hashes and writes as one built with
    the int."""
    from pendulum import WeekDay  # noqa: PLC0415 (an IntEnum at hand)

    made = cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), D(2026, 4, 1), units=WeekDay.SUNDAY)
    plain = cc.Authorization(GENERIC["IOP"], D(2026, 3, 2), D(2026, 4, 1), units=6)
    assert type(made.units) is int and made == plain and hash(made) == hash(plain)
    assert cc.to_dict(made) == cc.to_dict(plain)
