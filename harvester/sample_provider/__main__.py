"""Run the sample OAI-PMH provider: ``python -m harvester.sample_provider --synthetic N``.

The first line written to standard output is the provider's URL; it then serves until killed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from harvester.sample_provider.hostile import hostile_repository
from harvester.sample_provider.list_repository import ListRepository, load_demo_repositories
from harvester.sample_provider.repository import Repository
from harvester.sample_provider.server import serve_forever
from harvester.sample_provider.synthetic import SyntheticRepository
from harvester.sample_provider.wsgi import OAIProvider


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m harvester.sample_provider",
        description="Serve a sample OAI-PMH 2.0 repository (oai_dc) over HTTP.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--synthetic", type=int, metavar="N", help="N generated records")
    source.add_argument("--yaml", metavar="PATH", help="a repository YAML file")
    source.add_argument(
        "--demo", metavar="INDEX", type=int, help="the INDEX-th demo repository (0-based)"
    )
    source.add_argument(
        "--hostile",
        type=int,
        metavar="N",
        help="N hostile records (planted e-mail addresses, control characters, markup)",
    )
    parser.add_argument("--sets", type=int, default=3, help="sets of the synthetic repository")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic repository")
    parser.add_argument(
        "--deleted-every",
        type=int,
        default=97,
        metavar="K",
        help="one synthetic record in K is a deletion notice (0 for none)",
    )
    parser.add_argument("--page-size", type=int, default=100, help="records per list page")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port (0 picks a free one)")
    parser.add_argument("--path", default="/oai", help="path of the OAI-PMH endpoint")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, print the URL and serve until interrupted."""
    args = build_parser().parse_args(argv)
    repository: Repository
    if args.synthetic is not None:
        repository = SyntheticRepository(
            args.synthetic, sets=args.sets, seed=args.seed, deleted_every=args.deleted_every
        )
    elif args.yaml is not None:
        repository = ListRepository.from_yaml(args.yaml)
    elif args.hostile is not None:
        repository = hostile_repository(args.hostile)
    else:
        demos = load_demo_repositories()
        if not 0 <= args.demo < len(demos):
            print(f"no demo repository {args.demo} (there are {len(demos)})", file=sys.stderr)
            return 2
        repository = demos[args.demo]
    app = OAIProvider(repository, page_size=args.page_size, base_url_path=args.path)
    serve_forever(app, host=args.host, port=args.port, path=app.base_url_path or "/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
