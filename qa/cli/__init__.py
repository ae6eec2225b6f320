"""The `qa` command: index a corpus, search it, serve it, evaluate it."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from index.errors import QAError
from qa.cli import commands, tool_commands
from qa.cli.parser import build_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        code = {
            "index": commands.index,
            "add": commands.add,
            "remove": commands.remove,
            "search": commands.search,
            "doctor": commands.doctor,
            "serve": commands.serve,
            "eval": tool_commands.evaluate,
            "calibrate": tool_commands.calibrate,
            "bench": tool_commands.bench,
        }[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except QAError as exc:
        print(f"qa: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of our output went away (`qa search ... | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"qa: {_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: one line, and the traceback with -v
        if args.verbose:
            raise
        print(
            f"qa: unexpected {type(exc).__name__}: {exc}. Run again with -v for the details.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


def _os_error(exc: OSError) -> str:
    """A file-system failure in the user's words, with what to do about it."""
    import errno

    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"The disk is full{where}. Free some space and run the command again; the index is unchanged."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"No permission to write{where}. Use a writable --index folder; the index is unchanged."
        )
    return f"{exc.strerror or exc}{where}."


if __name__ == "__main__":
    sys.exit(main())
