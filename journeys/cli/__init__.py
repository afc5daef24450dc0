"""The ``journeys`` command line: journeys (import, export, list, check, render, propose,
demo, history, restore, delete, undelete), workshops, accounts (user, team, token) and the
web app (serve).

Messages go to stderr, data to stdout. Bad input exits with code 2. Each command lives in
a module of this package that is imported only when the command runs (or the help lists
it), and imports inside the commands keep file-only commands (``render``, ``check
FILE``, ``propose FILE``) from loading the web framework or the database layer.
"""

import click

from journeys.cli.common import JourneysGroup

# Command name → where it is defined, imported only when it is invoked or listed.
COMMANDS = {
    "import": "journeys.cli.stored:import_",
    "export": "journeys.cli.stored:export_",
    "list": "journeys.cli.stored:list_",
    "demo": "journeys.cli.stored:demo",
    "history": "journeys.cli.stored:history",
    "restore": "journeys.cli.stored:restore",
    "delete": "journeys.cli.stored:delete",
    "undelete": "journeys.cli.stored:undelete",
    "check": "journeys.cli.files:check",
    "propose": "journeys.cli.files:propose",
    "render": "journeys.cli.render:render",
    "user": "journeys.cli.accounts:user_group",
    "team": "journeys.cli.accounts:team_group",
    "token": "journeys.cli.accounts:token_group",
    "serve": "journeys.cli.serve:serve",
    "workshop": "journeys.cli.workshop:workshop_group",
}


@click.group(cls=JourneysGroup, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="citizen-journeys")
def main():
    """Map, check and redesign citizen journeys (ISO 11367:2025).

    Commands that take an ID use the database named by DATABASE_URL (default: an
    SQLite file in the instance folder), creating it on first use.
    """

