"""Who may do what: viewers read, editors write, owners delete; another team sees nothing."""

import pytest

from journeys.store import services as store
from journeys.store.actors import ROLES, SYSTEM, Actor, actor_for_user, can
from journeys.store.errors import Forbidden, NotFound
from journeys.store.models import Membership, User
from tests.factories import make_journey


@pytest.fixture
def journey_id(session):
    return store.import_journey(session=session, actor=SYSTEM, journey=make_journey(),
                                team_name="Permits")


def _actor(session, journey_id, role):
    team_id = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=journey_id).team_id
    if role == "other team":
        other = store.get_or_create_team(session=session, name="Elsewhere")
        session.commit()
        return Actor(user_id=None, name="Olga", roles={other.id: "owner"})
    return Actor(user_id=None, name="Ann", roles={team_id: role})


READ = lambda s, a, j: store.load_journey(session=s, actor=a, journey_id=j)  # noqa: E731
HISTORY = lambda s, a, j: store.history(session=s, actor=a, journey_id=j)  # noqa: E731
EDIT = lambda s, a, j: store.update_step(  # noqa: E731
    session=s, actor=a, journey_id=j, step_id="s1", changes={"title": "New"},
    expected_version=store.get_journey_row(session=s, actor=SYSTEM, journey_id=j).version)
REPLACE = lambda s, a, j: store.replace_journey(  # noqa: E731
    session=s, actor=a, journey_id=j, journey=make_journey(title="Other"), expected_version=1)
DUPLICATE = lambda s, a, j: store.duplicate_journey(session=s, actor=a, journey_id=j)  # noqa: E731
DELETE = lambda s, a, j: store.delete_journey(session=s, actor=a, journey_id=j)  # noqa: E731

MATRIX = [
    ("viewer", READ, None), ("viewer", HISTORY, None), ("viewer", EDIT, Forbidden),
    ("viewer", REPLACE, Forbidden), ("viewer", DELETE, Forbidden),
    ("editor", READ, None), ("editor", EDIT, None), ("editor", REPLACE, None),
    ("editor", DUPLICATE, None), ("editor", DELETE, Forbidden),
    ("owner", EDIT, None), ("owner", DELETE, None),
    ("other team", READ, NotFound), ("other team", HISTORY, NotFound),
    ("other team", EDIT, NotFound), ("other team", DELETE, NotFound),
]


@pytest.mark.parametrize(("role", "operation", "refused"), MATRIX)
def test_authorisation_matrix(session, journey_id, role, operation, refused):
    actor = _actor(session, journey_id, role)
    if refused is None:
        operation(session, actor, journey_id)
        return
    with pytest.raises(refused) as caught:
        operation(session, actor, journey_id)
    if refused is NotFound:
        with pytest.raises(NotFound) as missing:
            operation(session, actor, 999_999)
        assert str(caught.value) == str(missing.value).replace("999999", str(journey_id))
    else:
        assert "role" in str(caught.value)
    assert store.get_journey_row(session=session, actor=SYSTEM,
                                 journey_id=journey_id).version == 1


def test_the_list_shows_only_the_actors_teams(session, journey_id):
    assert store.list_journeys(session=session, actor=_actor(session, journey_id,
                                                             "other team")) == []
    viewer = _actor(session, journey_id, "viewer")
    assert [j.id for j in store.list_journeys(session=session, actor=viewer)] == [journey_id]


def test_no_actor_is_not_everything(session, journey_id):
    with pytest.raises(TypeError, match="Actor"):
        store.load_journey(session=session, actor=None, journey_id=journey_id)


def test_roles_rank(session):
    assert ROLES == ("viewer", "editor", "owner")
    actor = Actor(user_id=1, name="Ann", roles={1: "editor"})
    assert can(actor, 1, "viewer") and can(actor, 1, "editor") and not can(actor, 1, "owner")
    assert not can(actor, 2, "viewer")
    assert can(SYSTEM, 2, "owner")


def test_actor_for_user_reads_memberships(session, journey_id):
    team_id = store.get_journey_row(session=session, actor=SYSTEM,
                                    journey_id=journey_id).team_id
    user = User(email="ann@example.org", name="Ann")
    session.add(user)
    session.flush()
    session.add(Membership(team_id=team_id, user_id=user.id, role="viewer"))
    session.commit()
    actor = actor_for_user(session=session, user_id=user.id)
    assert actor.roles == {team_id: "viewer"} and actor.name == "Ann"
    assert not actor.is_system
    with pytest.raises(Forbidden):
        EDIT(session, actor, journey_id)
