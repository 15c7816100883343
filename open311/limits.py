"""How often an app may file requests, and an address may ask for codes that do not exist
(``core.limits``; the numbers are settings, ``# --- open311`` in core/settings/base.py).

Every POST counts against its address, wrong keys too; a POST with a good key against
its app as well. Unknown ``service_request_id``s count against the address, as wrong
codes on the tracking page do (citizens/tracking/limits.py): past the limit every
lookup from the address is refused for the minute, the right codes too.
"""

from core.limits import Limit

POSTS_BY_ADDRESS = Limit("open311-posts-address", "OPEN311_POSTS_PER_HOUR_PER_ADDRESS", 60 * 60)
POSTS_BY_CLIENT = Limit("open311-posts-client", "OPEN311_POSTS_PER_HOUR_PER_CLIENT", 60 * 60)
MISSES_BY_ADDRESS = Limit("open311-misses-address", "OPEN311_MISSES_PER_MINUTE", 60)
