"""English interface keeps the Ukrainian date order (ДД.ММ.РРРР) of the documents it shows."""

from ratusha.formats.uk.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
