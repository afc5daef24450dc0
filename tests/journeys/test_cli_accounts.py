"""The account commands: ``journeys user``, ``journeys team``, ``journeys token``, ``demo``."""

import pytest
from argon2 import PasswordHasher

from journeys.store import accounts
from journeys.store.accounts import authenticate, create_team, create_user, user_for_token
from journeys.store.actors import SYSTEM, actor_for_user

PASSWORD = "a long enough secret"


@pytest.fixture
def user(session, monkeypatch):
    """Create an account in-process (cheap Argon2 parameters); return its email.

    The commands under test run as real processes with the real parameters.
    """
    monkeypatch.setattr(accounts, "PASSWORD_HASHER",
                        PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def make(email="ana@example.org"):
        create_user(session=session, email=email, password=PASSWORD)
        return email
    return make


def test_a_user_created_with_a_password_on_stdin_signs_in(journeys_cli, database_url, session):
    result = journeys_cli("user", "create", " Ana@Example.org", "--name", "Ana López",
                          "--password-stdin", input=PASSWORD.encode() + b"\r\n")
    assert result.code == 0, result.err
    assert result.out.strip().isdigit()
    assert PASSWORD not in result.out + result.err
    signed_in = authenticate(session=session, email="ana@example.org", password=PASSWORD)
    assert signed_in is not None and signed_in.name == "Ana López"
    assert str(signed_in.id) == result.out.strip()
    listed = journeys_cli("user", "list").out
    assert "ana@example.org\tAna López" in listed and PASSWORD not in listed


def test_a_user_without_a_password_is_told_how_to_set_one(journeys_cli, database_url, session):
    created = journeys_cli("user", "create", "bob@example.org")
    assert created.code == 0
    assert "journeys user set-password bob@example.org" in created.err
    changed = journeys_cli("user", "set-password", "bob@example.org",
                           input=PASSWORD.encode() + b"\n")
    assert changed.code == 0, changed.err
    assert authenticate(session=session, email="bob@example.org", password=PASSWORD)


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("user", "create", "ana@example.org", "--password-stdin"), b"short\n",
     "password: must be at least 10 characters long"),
    (("user", "create", "ana@example.org", "--password-stdin"), b"",
     "password: must be at least 10 characters long"),
    (("user", "create", "not an email"), None, "email: 'not an email' is not an email address"),
    (("user", "create", "ana@example.org", "--name", "n" * 101), None,
     "name: is 101 characters long; at most 100 are allowed"),
])
def test_bad_account_input_exits_2_and_stores_nothing(journeys_cli, session, args, stdin,
                                                      message):
    result = journeys_cli(*args, input=stdin)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert accounts.list_users(session=session) == []


def test_a_duplicate_user_exits_2(journeys_cli, user, session):
    user("ana@example.org")
    again = journeys_cli("user", "create", "ANA@example.org")
    assert again.code == 2
    assert "email: an account with the email ana@example.org already exists" in again.err
    assert len(accounts.list_users(session=session)) == 1


def test_a_team_with_an_owner_and_members(journeys_cli, user, session):
    user("owner@example.org")
    user("ed@example.org")
    created = journeys_cli("team", "create", "Benefits", "--owner", "owner@example.org")
    assert created.code == 0, created.err
    team_id = int(created.out)
    added = journeys_cli("team", "add-member", "Benefits", "ed@example.org", "--role", "editor")
    assert added.code == 0, added.err
    assert "ed@example.org is now editor in Benefits" in added.err
    assert journeys_cli("team", "list").out == \
        f"{team_id}\tBenefits\ten\towner@example.org (owner), ed@example.org (editor)\n"
    ed = authenticate(session=session, email="ed@example.org", password=PASSWORD)
    assert actor_for_user(session=session, user_id=ed.id).roles == {team_id: "editor"}
    # A team is also found by its id.
    assert journeys_cli("team", "set-role", str(team_id), "ed@example.org",
                        "--role", "viewer").code == 0
    assert "ed@example.org (viewer)" in journeys_cli("team", "list").out


@pytest.mark.parametrize(("args", "message"), [
    (("team", "create", "Benefits", "--owner", "owner@example.org"),
     "name: a team named 'Benefits' already exists"),
    (("team", "create", "Parking", "--owner", "ghost@example.org"),
     "owner: there is no account with the email ghost@example.org"),
    (("team", "create", "t" * 101, "--owner", "owner@example.org"),
     "name: is 101 characters long; at most 100 are allowed"),
    (("team", "add-member", "Nowhere", "owner@example.org", "--role", "editor"),
     "there is no team named 'Nowhere'"),
    (("team", "add-member", "Benefits", "owner@example.org", "--role", "admin"),
     "'admin' is not one of 'owner', 'editor', 'viewer'"),
    (("team", "add-member", "Benefits", "owner@example.org", "--role", "viewer"),
     "email: owner@example.org is already a member of Benefits (as owner)"),
    (("team", "set-role", "Benefits", "owner@example.org", "--role", "editor"),
     "is the last owner of Benefits: make another member an owner first"),
    (("team", "remove-member", "Benefits", "owner@example.org"), "is the last owner"),
])
def test_bad_team_commands_exit_2(journeys_cli, user, session, args, message):
    user("owner@example.org")
    team = create_team(session=session, actor=SYSTEM, name="Benefits",
                       owner_email="owner@example.org")
    result = journeys_cli(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    session.expire_all()
    assert [(t.name, r) for t, r in accounts.teams_of(session=session, actor=SYSTEM)] \
        == [("Benefits", "owner")]
    assert [(m.email, m.role) for m in accounts.list_members(session=session, actor=SYSTEM,
                                                             team_id=team.id)] \
        == [("owner@example.org", "owner")]


def test_a_token_is_printed_alone_and_works_until_revoked(journeys_cli, user, session):
    user("ana@example.org")
    created = journeys_cli("token", "create", "--user", "ana@example.org", "--name", "CI",
                           "--expires", "30")
    assert created.code == 0, created.err
    lines = created.out.splitlines()
    assert len(lines) == 1 and created.out == lines[0] + "\n"
    plaintext = lines[0]
    assert plaintext.startswith("cj_") and " " not in plaintext
    assert plaintext not in created.err
    assert user_for_token(session=session, plaintext=plaintext).email == "ana@example.org"

    listed = journeys_cli("token", "list", "--user", "ana@example.org")
    token_id, name, state, *_ = listed.out.splitlines()[0].split("\t")
    assert (name, state) == ("CI", "active")
    assert plaintext not in listed.out

    revoked = journeys_cli("token", "revoke", token_id)
    assert revoked.code == 0
    assert user_for_token(session=session, plaintext=plaintext) is None
    assert "\trevoked\t" in journeys_cli("token", "list", "--user", "ana@example.org").out


@pytest.mark.parametrize(("args", "message"), [
    (("token", "create", "--user", "ghost@example.org"),
     "there is no account with the email ghost@example.org"),
    (("token", "create", "--user", "ana@example.org", "--expires", "0"), "--expires"),
    (("token", "list", "--user", "ghost@example.org"), "there is no account"),
    (("token", "revoke", "999"), "token 999 does not exist"),
    (("token", "revoke", "abc"), "'abc' is not a valid integer"),
])
def test_bad_token_commands_exit_2_and_print_no_token(journeys_cli, user, args, message):
    user("ana@example.org")
    result = journeys_cli(*args)
    assert result.code == 2
    assert message in result.err
    assert result.out == "" and "Traceback" not in result.err


def test_demo_makes_a_demo_account_and_says_how_to_sign_in(journeys_cli, database_url, session):
    first = journeys_cli("demo")
    assert first.code == 0
    assert "sign in as demo@example.org with the password journeys-demo" in first.err
    assert journeys_cli("demo").code == 0
    demo = authenticate(session=session, email="demo@example.org", password="journeys-demo")
    assert demo is not None
    assert "demo@example.org\tDemo designer\tDemo team (owner)" in journeys_cli("user", "list").out
