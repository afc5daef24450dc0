"""The ``serve`` command: the web app and the API."""

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes serving requests side by side.")
def serve(host, port, workers):
    """Serve the web app with gunicorn and several worker processes."""
    from journeys.web.server import run

    run(host=host, port=port, workers=workers)
