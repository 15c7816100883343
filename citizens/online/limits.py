"""How often one client address may load the complaint form and file complaints
(``core.limits``)."""

from core.limits import Limit

# Every load of the form and every post of it (a post that fails its checks costs us too).
PAGES = Limit("online-pages", "ONLINE_PAGES_PER_MINUTE", 60)
# Complaints kept (filed at once, or waiting for their e-mail confirmation).
SUBMISSIONS = Limit("online-submissions", "ONLINE_SUBMISSIONS_PER_HOUR", 60 * 60)
