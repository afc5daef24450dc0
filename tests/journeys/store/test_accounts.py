"""Accounts: users and passwords, teams and members, invites, API tokens, the demo account."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import func, select

from journeys.store import accounts
from journeys.store.accounts import (
    InvalidInput,
    InviteError,
    accept_invite,
    add_member,
    authenticate,
    bump_session_version,
    create_invite,
    create_team,
    create_token,
    create_user,
    ensure_demo_account,
    list_members,
    list_tokens,
    remove_member,
    revoke_token,
    set_password,
    set_role,
    teams_of,
    user_for_token,
)
from journeys.store.actors import SYSTEM, actor_for_user
from journeys.store.errors import Forbidden, NotFound, StoreError
from journeys.store.models import ApiToken, Invite, Membership, Team, User

PASSWORD = "correct horse battery"
# Cheap parameters, so the suite does not spend seconds in Argon2; one test below
# checks the real defaults.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def fast_hasher(monkeypatch):
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", FAST)


@pytest.fixture
def make_user(session):
    def make(email="ana@example.org", name=None, password=PASSWORD):
        return create_user(session=session, email=email, name=name, password=password)
    return make


@pytest.fixture
def team_of(session, make_user):
    """A team owned by a new user: (team, owner)."""
    def make(name="Benefits", owner_email="owner@example.org"):
        owner = make_user(owner_email)
        return create_team(session=session, actor=SYSTEM, name=name,
                           owner_email=owner_email), owner
    return make


def actor(session, user):
    return actor_for_user(session=session, user_id=user.id)


def count(session, model):
    return session.exec(select(func.count()).select_from(model)).one()


# Users and passwords ------------------------------------------------------------------


def test_a_new_user_signs_in_with_any_case_of_their_email(session, make_user):
    user = make_user("  Ana.Lopez@Example.ORG ", name="Ana López")
    assert user.email == "ana.lopez@example.org"
    assert user.name == "Ana López"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert authenticate(session=session, email="ANA.LOPEZ@example.org ",
                        password=PASSWORD).id == user.id


def test_the_default_hasher_is_argon2id_with_the_rfc_parameters(session, monkeypatch):
    monkeypatch.undo()
    user = create_user(session=session, email="real@example.org", password=PASSWORD)
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert authenticate(session=session, email="real@example.org", password=PASSWORD)


def test_a_wrong_password_or_an_unknown_email_does_not_sign_in(session, make_user):
    make_user()
    assert authenticate(session=session, email="ana@example.org", password="wrong password") \
        is None
    assert authenticate(session=session, email="nobody@example.org", password=PASSWORD) is None
    assert authenticate(session=session, email="ana@example.org", password="") is None


def test_an_unknown_email_costs_the_same_argon2_work(session, make_user, monkeypatch):
    calls = []

    class Counting(PasswordHasher):
        def verify(self, hash, password):
            calls.append(hash.split("$")[3])  # the parameters used
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "PASSWORD_HASHER", Counting(time_cost=1, memory_cost=1024,
                                                              parallelism=1))
    create_user(session=session, email="ana@example.org", password=PASSWORD)
    create_user(session=session, email="nopass@example.org")
    authenticate(session=session, email="ana@example.org", password="wrong password")
    authenticate(session=session, email="nobody@example.org", password="wrong password")
    authenticate(session=session, email="nopass@example.org", password="wrong password")
    assert calls == ["m=1024,t=1,p=1"] * 3  # one verification each, with the same parameters


def test_an_account_without_a_password_cannot_sign_in(session):
    create_user(session=session, email="nopass@example.org")
    assert authenticate(session=session, email="nopass@example.org", password="") is None


def test_a_hash_with_older_parameters_is_replaced_at_sign_in(session, make_user):
    user = make_user()
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1)
    user.password_hash = weak.hash(PASSWORD)
    session.add(user)
    session.commit()
    old_hash = user.password_hash

    assert authenticate(session=session, email=user.email, password=PASSWORD).id == user.id
    session.expire_all()
    stored = session.get(User, user.id).password_hash
    assert stored != old_hash
    assert "m=1024,t=1,p=1" in stored and not FAST.check_needs_rehash(stored)
    assert authenticate(session=session, email=user.email, password=PASSWORD)


def test_a_current_hash_is_kept_at_sign_in(session, make_user):
    user = make_user()
    before = user.password_hash
    authenticate(session=session, email=user.email, password=PASSWORD)
    session.expire_all()
    assert session.get(User, user.id).password_hash == before


def test_a_duplicate_email_is_refused_whatever_its_case(session, make_user):
    make_user("ana@example.org")
    with pytest.raises(InvalidInput) as err:
        make_user("ANA@example.org ")
    assert err.value.field == "email"
    assert str(err.value) == "email: an account with the email ana@example.org already exists"
    assert count(session, User) == 1


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"email": "not-an-email"}, "email", "is not an email address"),
    ({"email": "a@b"}, "email", "is not an email address"),
    ({"email": "   "}, "email", "is required"),
    ({"email": "x" * 250 + "@example.org"}, "email", "at most 254"),
    ({"email": "ana@example.org", "name": "n" * 101}, "name", "at most 100"),
    ({"email": "ana@example.org", "name": "  "}, "name", "must not be empty"),
    ({"email": "ana@example.org", "name": "Ana\nLopez"}, "name", "line breaks"),
    ({"email": "ana@example.org", "password": "short"}, "password", "at least 10"),
    ({"email": "ana@example.org", "password": "p" * 1025}, "password", "at most 1024"),
    ({"email": "ana@example.org", "language": "de"}, "language", "languages: en, fr"),
])
def test_bad_user_input_is_refused_naming_the_field(session, kwargs, field, words):
    with pytest.raises(InvalidInput) as err:
        create_user(session=session, **kwargs)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ") and words in str(err.value)
    assert count(session, User) == 0


def test_names_at_the_length_limit_are_stored(session):
    user = create_user(session=session, email="a" * 242 + "@example.org", name="n" * 100)
    assert len(user.email) == 254
    team = create_team(session=session, actor=SYSTEM, name="t" * 100, owner_email=user.email)
    assert len(team.name) == 100


def test_a_new_password_ends_every_session_and_replaces_the_old_one(session, make_user):
    user = make_user()
    assert user.session_version == 1
    set_password(session=session, user_id=user.id, password="another good password")
    assert session.get(User, user.id).session_version == 2
    assert authenticate(session=session, email=user.email, password=PASSWORD) is None
    assert authenticate(session=session, email=user.email, password="another good password")
    with pytest.raises(InvalidInput, match="password: must be at least 10"):
        set_password(session=session, user_id=user.id, password="short")


def test_signing_out_bumps_the_session_version(session, make_user):
    user = make_user()
    cookie = (user.id, user.session_version)
    assert accounts.user_for_session(session=session, user_id=cookie[0],
                                     session_version=cookie[1]).id == user.id
    assert bump_session_version(session=session, user_id=user.id) == 2
    assert bump_session_version(session=session, user_id=user.id) == 3
    assert session.get(User, user.id).session_version == 3
    # The session signed in before signing out is refused when replayed.
    assert accounts.user_for_session(session=session, user_id=cookie[0],
                                     session_version=cookie[1]) is None
    assert accounts.user_for_session(session=session, user_id=user.id, session_version=3)
    with pytest.raises(NotFound, match="user 999 does not exist"):
        bump_session_version(session=session, user_id=999)


# Teams and members --------------------------------------------------------------------


def test_a_new_team_has_its_owner(session, team_of):
    team, owner = team_of()
    assert team.language == "en"
    assert [(m.email, m.role) for m in list_members(session=session, actor=SYSTEM,
                                                     team_id=team.id)] \
        == [("owner@example.org", "owner")]
    assert actor(session, owner).roles == {team.id: "owner"}


def test_a_duplicate_team_is_refused(session, team_of):
    team_of("Benefits")
    with pytest.raises(InvalidInput, match="name: a team named 'Benefits' already exists"):
        create_team(session=session, actor=SYSTEM, name=" Benefits ",
                    owner_email="owner@example.org")
    assert count(session, Team) == 1


@pytest.mark.parametrize(("name", "owner", "message"), [
    ("t" * 101, "owner@example.org", "name: is 101 characters long; at most 100"),
    ("", "owner@example.org", "name: must contain at least one character"),
    ("Bene\tfits", "owner@example.org",
     r"name: contains the control character U\+0009 at position 5"),
    ("Benefits", "ghost@example.org", "owner: there is no account with the email ghost@"),
])
def test_a_team_with_bad_input_is_not_created(session, make_user, name, owner, message):
    make_user("owner@example.org")
    with pytest.raises(InvalidInput, match=message):
        create_team(session=session, actor=SYSTEM, name=name, owner_email=owner)
    assert count(session, Team) == 0 and count(session, Membership) == 0


def test_a_user_creates_teams_only_for_themselves(session, make_user):
    ana = make_user("ana@example.org")
    make_user("bob@example.org")
    with pytest.raises(Forbidden):
        create_team(session=session, actor=actor(session, ana), name="Bob's",
                    owner_email="bob@example.org")
    team = create_team(session=session, actor=actor(session, ana), name="Ana's",
                       owner_email="ana@example.org")
    assert actor(session, ana).roles == {team.id: "owner"}


def test_an_owner_adds_members_and_others_cannot(session, team_of, make_user):
    team, owner = team_of()
    editor = make_user("editor@example.org")
    outsider = make_user("outsider@example.org")
    add_member(session=session, actor=actor(session, owner), team_id=team.id,
               email="Editor@Example.org", role="editor")
    assert actor(session, editor).roles == {team.id: "editor"}

    with pytest.raises(Forbidden):
        add_member(session=session, actor=actor(session, editor), team_id=team.id,
                   email="outsider@example.org", role="viewer")
    # Another team's id is reported exactly like a missing one.
    with pytest.raises(NotFound) as other:
        add_member(session=session, actor=actor(session, outsider), team_id=team.id,
                   email="outsider@example.org", role="owner")
    with pytest.raises(NotFound) as missing:
        add_member(session=session, actor=actor(session, outsider), team_id=team.id + 99,
                   email="outsider@example.org", role="owner")
    assert str(other.value).replace(str(team.id), "N") \
        == str(missing.value).replace(str(team.id + 99), "N")
    assert actor(session, outsider).roles == {}


@pytest.mark.parametrize(("email", "role", "message"), [
    ("new@example.org", "admin", "role: 'admin' is not a role (roles: viewer, editor, owner)"),
    ("ghost@example.org", "editor", "email: there is no account with the email ghost@"),
    ("owner@example.org", "viewer", "email: owner@example.org is already a member of Benefits"),
])
def test_adding_a_member_with_bad_input_is_refused(session, team_of, make_user, email, role,
                                                   message):
    team, _ = team_of()
    make_user("new@example.org")
    with pytest.raises(InvalidInput) as err:
        add_member(session=session, actor=SYSTEM, team_id=team.id, email=email, role=role)
    assert str(err.value).startswith(message)
    assert count(session, Membership) == 1


def test_the_last_owner_can_be_neither_demoted_nor_removed(session, team_of, make_user):
    team, owner = team_of()
    as_owner = actor(session, owner)
    with pytest.raises(StoreError, match="owner is the last owner of Benefits"):
        set_role(session=session, actor=as_owner, team_id=team.id, user_id=owner.id,
                 role="editor")
    with pytest.raises(StoreError, match="last owner"):
        remove_member(session=session, actor=as_owner, team_id=team.id, user_id=owner.id)
    assert actor(session, owner).roles == {team.id: "owner"}

    second = make_user("second@example.org")
    add_member(session=session, actor=as_owner, team_id=team.id, email=second.email,
               role="editor")
    set_role(session=session, actor=as_owner, team_id=team.id, user_id=second.id, role="owner")
    set_role(session=session, actor=as_owner, team_id=team.id, user_id=owner.id, role="viewer")
    assert actor(session, owner).roles == {team.id: "viewer"}
    with pytest.raises(Forbidden):
        set_role(session=session, actor=actor(session, owner), team_id=team.id,
                 user_id=second.id, role="viewer")


def test_a_member_can_leave_and_an_owner_can_remove(session, team_of, make_user):
    team, owner = team_of()
    viewer = make_user("viewer@example.org")
    editor = make_user("editor@example.org")
    for user, role in ((viewer, "viewer"), (editor, "editor")):
        add_member(session=session, actor=SYSTEM, team_id=team.id, email=user.email, role=role)
    with pytest.raises(Forbidden):
        remove_member(session=session, actor=actor(session, viewer), team_id=team.id,
                      user_id=editor.id)
    remove_member(session=session, actor=actor(session, viewer), team_id=team.id,
                  user_id=viewer.id)
    remove_member(session=session, actor=actor(session, owner), team_id=team.id,
                  user_id=editor.id)
    assert [m.email for m in list_members(session=session, actor=actor(session, owner),
                                          team_id=team.id)] == ["owner@example.org"]
    with pytest.raises(NotFound, match="is not a member of Benefits"):
        remove_member(session=session, actor=SYSTEM, team_id=team.id, user_id=editor.id)


def test_members_are_listed_owners_first_to_members_only(session, team_of, make_user):
    team, owner = team_of()
    for email, role in (("zoe@example.org", "viewer"), ("bea@example.org", "editor")):
        make_user(email)
        add_member(session=session, actor=SYSTEM, team_id=team.id, email=email, role=role)
    members = list_members(session=session, actor=actor(session, owner), team_id=team.id)
    assert [(m.name, m.role) for m in members] \
        == [("owner", "owner"), ("bea", "editor"), ("zoe", "viewer")]
    stranger = make_user("stranger@example.org")
    with pytest.raises(NotFound):
        list_members(session=session, actor=actor(session, stranger), team_id=team.id)


def test_teams_of_lists_only_the_users_teams(session, team_of):
    benefits, ana = team_of("Benefits", "ana@example.org")
    parking, _ = team_of("Parking", "bob@example.org")
    assert [(t.name, r) for t, r in teams_of(session=session, actor=actor(session, ana))] \
        == [("Benefits", "owner")]
    assert [t.name for t, _ in teams_of(session=session, actor=SYSTEM)] \
        == ["Benefits", "Parking"]


def test_languages_of_teams_and_users(session, team_of):
    team, owner = team_of()
    accounts.set_team_language(session=session, actor=actor(session, owner), team_id=team.id,
                               language="fr")
    assert session.get(Team, team.id).language == "fr"
    accounts.set_user_language(session=session, user_id=owner.id, language="en")
    assert session.get(User, owner.id).language == "en"
    with pytest.raises(InvalidInput, match="language: 'xx' is not a language"):
        accounts.set_user_language(session=session, user_id=owner.id, language="xx")


# Invites ------------------------------------------------------------------------------


def test_an_invite_makes_its_follower_a_member_once(session, team_of, make_user):
    team, owner = team_of()
    token = create_invite(session=session, actor=actor(session, owner), team_id=team.id,
                          role="editor")
    invite = session.exec(select(Invite)).one()
    assert token not in invite.token_hash
    assert invite.token_hash == hashlib.sha256(token.encode()).hexdigest()

    guest = make_user("guest@example.org")
    assert accept_invite(session=session, token=token, user_id=guest.id).id == team.id
    assert actor(session, guest).roles == {team.id: "editor"}

    other = make_user("other@example.org")
    with pytest.raises(InviteError, match="already been used"):
        accept_invite(session=session, token=token, user_id=other.id)
    assert actor(session, other).roles == {}


def test_an_expired_or_unknown_invite_is_refused(session, team_of, make_user):
    team, owner = team_of()
    token = create_invite(session=session, actor=SYSTEM, team_id=team.id, role="viewer",
                          expires_in=timedelta(days=1))
    invite = session.exec(select(Invite)).one()
    invite.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    session.add(invite)
    session.commit()
    guest = make_user("guest@example.org")
    with pytest.raises(InviteError, match="this invite link expired on .*ask a team owner"):
        accept_invite(session=session, token=token, user_id=guest.id)
    with pytest.raises(InviteError, match="not valid"):
        accept_invite(session=session, token="made-up", user_id=guest.id)
    assert actor(session, guest).roles == {}
    assert session.get(Invite, invite.id).accepted_at is None


def test_only_owners_invite(session, team_of, make_user):
    team, _ = team_of()
    editor = make_user("editor@example.org")
    add_member(session=session, actor=SYSTEM, team_id=team.id, email=editor.email,
               role="editor")
    with pytest.raises(Forbidden):
        create_invite(session=session, actor=actor(session, editor), team_id=team.id,
                      role="owner")
    with pytest.raises(InvalidInput, match="role: 'boss' is not a role"):
        create_invite(session=session, actor=SYSTEM, team_id=team.id, role="boss")
    assert count(session, Invite) == 0


def test_an_invite_never_lowers_a_members_role(session, team_of):
    team, owner = team_of()
    token = create_invite(session=session, actor=SYSTEM, team_id=team.id, role="viewer")
    accept_invite(session=session, token=token, user_id=owner.id)
    assert actor(session, owner).roles == {team.id: "owner"}


# API tokens ---------------------------------------------------------------------------


def test_a_token_acts_for_its_user_and_is_stored_hashed(session, make_user):
    user = make_user()
    token, plaintext = create_token(session=session, user_id=user.id, name="CI", expires_days=30)
    assert plaintext.startswith("cj_") and len(plaintext) > 40
    stored = session.get(ApiToken, token.id)
    assert stored.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext not in stored.token_hash
    assert stored.last_used_at is None

    assert user_for_token(session=session, plaintext=plaintext).id == user.id
    assert session.get(ApiToken, token.id).last_used_at is not None
    expires = session.get(ApiToken, token.id).expires_at
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)


def test_a_token_sees_only_its_users_teams(session, team_of):
    benefits, ana = team_of("Benefits", "ana@example.org")
    team_of("Parking", "bob@example.org")
    _, plaintext = create_token(session=session, user_id=ana.id)
    user = user_for_token(session=session, plaintext=plaintext)
    as_token = actor_for_user(session=session, user_id=user.id)
    assert as_token.roles == {benefits.id: "owner"}
    assert [t.name for t, _ in teams_of(session=session, actor=as_token)] == ["Benefits"]


def test_a_revoked_token_is_refused(session, make_user):
    user = make_user()
    token, plaintext = create_token(session=session, user_id=user.id)
    revoke_token(session=session, token_id=token.id)
    assert user_for_token(session=session, plaintext=plaintext) is None
    assert accounts.token_state(list_tokens(session=session, user_id=user.id)[0]) == "revoked"


def test_an_expired_token_is_refused(session, make_user):
    user = make_user()
    token, plaintext = create_token(session=session, user_id=user.id, expires_days=1)
    token.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.add(token)
    session.commit()
    assert user_for_token(session=session, plaintext=plaintext) is None
    assert accounts.token_state(token) == "expired"


@pytest.mark.parametrize("plaintext", ["", "cj_", "cj_made-up", "Bearer x", "cj_" + "x" * 500])
def test_a_malformed_or_unknown_token_is_refused(session, make_user, plaintext):
    create_token(session=session, user_id=make_user().id)
    assert user_for_token(session=session, plaintext=plaintext) is None


def test_a_user_revokes_only_their_own_tokens(session, make_user):
    ana, bob = make_user("ana@example.org"), make_user("bob@example.org")
    token, plaintext = create_token(session=session, user_id=ana.id)
    with pytest.raises(NotFound, match=f"token {token.id} does not exist"):
        revoke_token(session=session, token_id=token.id, user_id=bob.id)
    assert user_for_token(session=session, plaintext=plaintext).id == ana.id
    with pytest.raises(NotFound, match="token 999 does not exist"):
        revoke_token(session=session, token_id=999)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"expires_days": 0}, r"expires_days: must be a whole number of days from 1 to 3650"),
    ({"expires_days": 3651}, "expires_days: must be"),
    ({"name": "n" * 101}, "name: is 101 characters long"),
])
def test_a_token_with_bad_input_is_not_created(session, make_user, kwargs, message):
    user = make_user()
    with pytest.raises(InvalidInput, match=message):
        create_token(session=session, user_id=user.id, **kwargs)
    assert count(session, ApiToken) == 0


def test_tokens_are_listed_per_user(session, make_user):
    ana, bob = make_user("ana@example.org"), make_user("bob@example.org")
    create_token(session=session, user_id=ana.id, name="one")
    create_token(session=session, user_id=bob.id, name="bob's")
    create_token(session=session, user_id=ana.id, name="two")
    assert [t.name for t in list_tokens(session=session, user_id=ana.id)] == ["one", "two"]


# The demo account ---------------------------------------------------------------------


def test_the_demo_account_owns_the_demo_team_and_is_made_once(session):
    from journeys.store.services import load_demo

    load_demo(session=session)
    email, password = ensure_demo_account(session=session)
    assert ensure_demo_account(session=session) == (email, password)
    user = authenticate(session=session, email=email, password=password)
    assert user is not None and count(session, User) == 1
    teams = teams_of(session=session, actor=actor_for_user(session=session, user_id=user.id))
    assert [(t.name, role) for t, role in teams] == [("Demo team", "owner")]


@pytest.mark.parametrize("bad_id", [0, -1, 2**63, 10**30, True])
def test_ids_out_of_range_are_simply_not_found(session, team_of, bad_id):
    team, _ = team_of()
    with pytest.raises(NotFound):
        revoke_token(session=session, token_id=bad_id)
    with pytest.raises(NotFound):
        list_members(session=session, actor=SYSTEM, team_id=bad_id)
    with pytest.raises(NotFound):
        remove_member(session=session, actor=SYSTEM, team_id=team.id, user_id=bad_id)
    with pytest.raises(NotFound):
        create_token(session=session, user_id=bad_id)
