"""Checking the next batches of a data report in a second process while this one writes.

On a first import, reading and checking the file (Python's work, holding Python's global lock)
and writing it (the database's work) take about as long as each other, and neither needs the
other until a batch is handed over. A forked process reads and checks the file and sends each
checked batch through a pipe; this process writes one batch while the next is being checked, so
a machine's two cores both work. Checking needs no query then (the table was empty when the
import began), and the second process never uses the database: a query there raises.

The pipe holds about one batch, so the reader waits when the writer falls behind and memory
stays flat.
Where fork is not available (Windows), the batches are checked here, one after another.

The reader is a copy of this process made when the import begins, and ends with it: if the
import fails here, the reader is stopped; if checking fails there (a file that breaks
part-way), the error is raised here, where the import's transaction is rolled back. Nothing the
reader does is written but through this process.
"""

import contextlib
import multiprocessing

try:
    import fcntl
except ImportError:  # not on Windows, where there is no fork either
    fcntl = None

from django.db import connections

_STOP_WAITING_AFTER = 10  # seconds for the reader to end once the import is over
_PIPE_BYTES = 1 << 20  # Linux's limit for a process without special rights


def checked_ahead(batches):
    """Yields the items of the generator `batches`, made in a forked process."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield from batches
        return
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    _widen(sending)
    reader = context.Process(
        target=_read, args=(batches, receiving, sending), name="import-reader", daemon=True
    )
    reader.start()
    sending.close()  # this process only receives; the reader's end stays open in the reader
    try:
        while True:
            try:
                kind, value = receiving.recv()
            except EOFError:  # the reader ended without a word: it was killed, or crashed
                reader.join()
                raise RuntimeError(
                    f"The import's reader process stopped unexpectedly ({reader.exitcode})."
                ) from None
            if kind == "error":
                raise value
            if kind == "done":
                return
            yield value
    finally:
        receiving.close()  # a reader still sending gets an error and ends
        reader.join(_STOP_WAITING_AFTER)
        if reader.is_alive():
            reader.kill()
            reader.join()


def _widen(connection):
    """Lets the pipe hold about one checked batch (most are 0.9 MB): the reader can then send
    a batch while this process is still writing the one before, in one write instead of a
    wait at every 64 KB (about 0.05 s of the reader's 1 s on 100,000 rows, measured). Linux
    only; elsewhere, or above the system's limit, the pipe stays as it is."""
    with contextlib.suppress(AttributeError, OSError):
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _read(batches, receiving, sending):
    """The reader process: sends each checked batch, then "done" or the error that stopped it.

    It leaves through os._exit (multiprocessing's own way for a forked process), so the
    database connections it inherited are never closed or used from here.
    """
    # Only the importing process may hold the receiving end: when it closes it (or dies), the
    # reader's next send fails and the reader ends, instead of waiting for ever.
    receiving.close()
    for name in connections:
        connections[name].execute_wrappers.append(_no_query)
    try:
        for batch in batches:
            sending.send(("batch", batch))
        sending.send(("done", None))
    except BrokenPipeError:
        return  # the import is over (it failed in the writing process)
    except Exception as error:
        try:
            sending.send(("error", error))
        except Exception:
            sending.send(("error", RuntimeError(f"The import's reader process failed: {error!r}")))
    finally:
        sending.close()


def _no_query(execute, sql, params, many, context):
    raise RuntimeError("The import's reader process must not use the database.")
