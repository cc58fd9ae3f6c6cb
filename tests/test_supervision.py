"""Associates without a supervisor (issue 25): credentials that mark a supervised title in the clinician's
state (its data, with citations), or that look like a trainee's, get a warning when no supervisor is named."""

from __future__ import annotations

import yaml

from .test_batch import CLINIC, write
from .test_cli import run
from .test_outdated import edited_data  # noqa: F401 - the fixture


def _warnings(done):
    return [line for line in done.stderr.splitlines() if "supervis" in line and line.startswith("Warning:")]


def test_a_state_title_without_a_supervisor_is_named_with_its_citation(tmp_path, edited_data):  # noqa: F811
    data, use = edited_data
    path = data / "US-CA.yaml"
    state = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next(iter(state["sources"]))
    state["supervised_titles"] = [{
        "profession": "marriage_family_therapist", "title": "Associate Marriage and Family Therapist",
        "abbreviations": ["AMFT"], "citations": ["Test Code § 1"], "sources": [source],
        "verified_on": "2026-12-07", "status": "needs_review", "review_reason": "a test entry"}]
    path.write_text(yaml.safe_dump(state, sort_keys=False, allow_unicode=True), encoding="utf-8")
    use()
    roster = write(tmp_path, "name,credentials,profession,license,supervisor_name,supervisor_credentials,"
                             "supervisor_license\n"
                             "Ann Lee,AMFT,marriage_family_therapist,AMFT 1,,,\n"
                             "Bo Chan,A.M.F.T.,marriage_family_therapist,AMFT 2,Kay Liu,LMFT,LMFT 9\n"
                             "Cy Diaz,LMFT,marriage_family_therapist,LMFT 3,,,\n")
    done = run("check", CLINIC, roster)
    warned = _warnings(done)
    assert len(warned) == 1, done.stderr
    assert ("the credentials 'AMFT' name the title Associate Marriage and Family Therapist, which in California "
            "means practice under supervision (Test Code § 1), but no supervisor is named") in warned[0]
    assert warned[0].endswith("[Ann Lee]")  # Bo Chan ("A.M.F.T.") names a supervisor; Cy Diaz is licensed


def test_trainee_words_without_a_supervisor_get_a_careful_warning(tmp_path):
    roster = write(tmp_path, "name,credentials,profession,license\nAnn Lee,Counselor Intern,counselor,CI 1\n"
                             "Bo Chan,LPC,counselor,LPC 2\n")
    warned = _warnings(run("check", CLINIC, roster))
    assert len(warned) == 1 and "'Counselor Intern' look like those of a clinician in training" in warned[0]
    assert warned[0].endswith("[Ann Lee]")


def test_the_state_data_names_floridas_registered_interns(tmp_path):
    """The recorded titles are used as they are (Fla. Stat. § 491.0045, read in full; see jurisdictions/US-FL.yaml)."""
    roster = write(tmp_path, "name,credentials,profession,license,jurisdiction\n"
                             "Ann Lee,Registered Mental Health Counselor Intern,counselor,IMH 1,US-FL\n")
    warned = _warnings(run("check", CLINIC, roster))
    assert len(warned) == 1 and "Fla. Stat. § 491.0045" in warned[0] and "Florida" in warned[0], warned


def test_floridas_provisional_licenses_are_named_for_each_profession(tmp_path):
    """§ 491.0046(2) issues a provisional license in each of the three ch. 491 professions, under supervision
    (3). A counselor who also holds a marriage and family therapist license is not a provisional licensee; a
    provisional mental health counselor, a provisional marriage and family therapist and a provisional clinical
    social worker each are."""
    roster = write(tmp_path, "name,credentials,profession,license,jurisdiction\n"
                             "Ann Lee,\"LMHC, licensed marriage and family therapist\",counselor,MH 1,US-FL\n"
                             "Bo Chan,Provisional Mental Health Counselor,counselor,PMH 2,US-FL\n"
                             "Cy Diaz,Provisional Marriage and Family Therapist,marriage_family_therapist,PMT 3,US-FL\n"
                             "Di Roe,Provisional Clinical Social Worker,social_worker,PSW 4,US-FL\n"
                             "Ed Fox,Provisional Psychologist Licensee,psychologist,PPY 5,US-FL\n")
    warned = _warnings(run("check", CLINIC, roster))
    assert sorted(line.rsplit("[", 1)[1] for line in warned) == ["Bo Chan]", "Cy Diaz]", "Di Roe]", "Ed Fox]"], warned
    assert sum("Fla. Stat. § 491.0046(2), (3)" in line for line in warned) == 3, warned
    assert any("Fla. Stat. § 490.003(6)" in line for line in warned), warned


def test_a_state_named_in_credentials_is_not_read_as_a_title(tmp_path):
    """'CT' in 'LPCC (OH, CT)' is Connecticut, not Ohio's counselor trainee (whose title is still matched)."""
    roster = write(tmp_path, "name,credentials,profession,license,jurisdiction\n"
                             "Ann Lee,\"LPCC (OH, CT)\",counselor,E 1,US-OH\n"
                             "Bo Chan,Counselor Trainee,counselor,CT 2,US-OH\n")
    warned = _warnings(run("check", CLINIC, roster))
    assert len(warned) == 1 and warned[0].endswith("[Bo Chan]"), warned
