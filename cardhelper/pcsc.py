"""The card reader on the officer's PC, through PC/SC (pyscard).

pyscard is imported when a card is first read, not when the helper starts: the tests, the
simulated card and a PC whose pyscard is missing all run without it (the page then says
"no reader", and the helper's window says why).
"""

from __future__ import annotations

import logging

from cardhelper.protocol import CardData, NoCard, NoReader, read_card

log = logging.getLogger("cardhelper")

PYSCARD_MISSING = (
    "pyscard is not installed: pip install -r cardhelper/requirements.txt "
    "(or start with --simulate to try the helper without a reader)"
)


def pyscard_available() -> bool:
    try:
        import smartcard  # noqa: F401 - only asks whether it is installed
    except ImportError:
        return False
    return True


class PcscReader:
    """The first PC/SC reader holding a card (or the one whose name contains ``name``)."""

    def __init__(self, name: str = ""):
        self.name = name

    def read(self) -> CardData:
        try:
            # Lazily: the helper starts (and its tests run) where pyscard is not installed.
            from smartcard.Exceptions import CardConnectionException, NoCardException
            from smartcard.System import readers
        except ImportError as error:
            log.error(PYSCARD_MISSING)
            raise NoReader(detail=PYSCARD_MISSING) from error
        try:
            found = [r for r in readers() if self.name.lower() in str(r).lower()]
        except Exception as error:  # no PC/SC service (pcscd, Windows' Smart Card service) running
            raise NoReader(detail=f"{type(error).__name__}: {error}") from error
        if not found:
            raise NoReader(detail=f"no PC/SC reader{f' named {self.name!r}' if self.name else ''}")
        for reader in found:
            connection = reader.createConnection()
            try:
                connection.connect()
            except (NoCardException, CardConnectionException) as error:
                log.info("%s: %s", reader, error)
                continue
            try:
                return read_card(connection.transmit, atr=connection.getATR())
            finally:
                try:
                    connection.disconnect()
                except Exception:  # noqa: S110 - a card pulled out is already disconnected
                    pass
        raise NoCard(detail=", ".join(str(r) for r in found))
