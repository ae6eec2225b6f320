"""What scraped news pages wrap around an article: the patterns, kept apart from the logic.

Every pattern here names a kind of page furniture seen across outlets (share bars,
newsletter prompts, teaser rails, bylines), never a particular article.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# A person's name as bylines print it: "Amira El-Fekki", "Kyle Anzalone", "J. R. Smith".
NAME_WORD = r"(?:(?:Mc|Mac|O['’])?[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ'’]+)?|[A-Z]\.)"
NAME = rf"{NAME_WORD}(?: {NAME_WORD}){{0,3}}"

# "date 2025-09-23 (Dave DeCamp, Antiwar.com) Venezuela has ..." opens some wire copies.
DATELINE_PREFIX = re.compile(
    r"^date\s+(?P<date>\d{4}-\d\d-\d\d)\s*"
    r"(?:\((?P<author>[^(),]{2,60}),\s*(?P<outlet>[^()]{2,60})\)\s*)?",
    _I,
)
# "By Jane Doe", possibly glued to the share bar that follows it on the page.
BYLINE_PREFIX = re.compile(rf"^By\s+(?P<author>{NAME})(?=$|[^a-z])")
# "by | Sep 22, 2025", "By Jane Doe | 22 Sep 2025"
BYLINE_LINE = re.compile(r"^by\b\s*(?P<author>[^|•·]*?)\s*[|•·]\s*(?P<date>.+)$", _I)
# "FP News Desk • September 27, 2025, 12:40:24 IST"
AUTHOR_DATE_LINE = re.compile(r"^(?P<author>[A-Z][\w .'’-]{1,60}?)\s+[•·|–—]\s+(?P<date>.+)$")
PUBLISHED_LINE = re.compile(
    r"^(?:published|updated|posted|last updated)(?: on)?:?\s+(?P<date>.+)$", _I
)

# Share bars and similar words a scraper glues onto the start of a line.
GLUED_PREFIX = re.compile(
    r"^(?:Share(?: this)?|Follow|Subscribe|Advertisement|Listen|Print|Email|Comments?|Save)"
    r"(?=[A-Z]|\s+[A-Z]|\s*$)\s*"  # glued on, or before another capital: not "Listen to"
    r"|^(?:[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}) is a Trust Project member",
)

# Page furniture in any line up to a short paragraph: no article sentence says these, glued
# to other furniture or not. A longer paragraph is prose that may use the words for real
# ("The definition ... originally appeared in 1969", a SciFact abstract of 149 words).
FURNITURE_STRONG = re.compile(
    r"\b(?:preferred source on google|trust project member|story continues below|"
    r"originally appeared (?:at|in|on)|all rights reserved|request reprint|submit correction|"
    r"editorial & ai guidelines|view all posts|delivered straight to your inbox|"
    r"skip to (?:main )?content|pin it on pinterest|"
    r"you(?:'re| are) receiving this (?:e-?mail|message|newsletter)|"
    r"you received this (?:e-?mail|message|newsletter))\b",
    _I,
)
# A cookie-consent notice speaks for the site ("We use cookies", "you agree to our use of
# cookies"): furniture up to a long paragraph, since such notices run to sixty words and more.
COOKIE_NOTICE = re.compile(
    r"\b(?:(?:we|this (?:web)?site|our (?:web)?site) uses? cookies?|"
    r"(?:consent|agree|agreeing) to (?:our|the) use of cookies|(?:accept|receive) all cookies|"
    r"utilizziamo i cookie|nous utilisons des cookies|wir verwenden cookies|utilizamos cookies)\b",
    _I,
)
COOKIE_NOTICE_MAX_WORDS = 80
# Page furniture when the line is short; a long sentence may use these words for real.
FURNITURE_WEAK = re.compile(
    r"\b(?:share(?: this| on)?|follow us|subscribe|sign up|newsletter|cookies?|privacy policy|"
    r"terms of (?:use|service)|copyright|advertisement|read more|continue reading|click here|"
    r"download (?:the|our) app|watch live|\d+ min read|find us on \w+|log ?in|sign in|"
    r"unsubscribe|manage (?:your )?(?:email )?preferences|view (?:this email )?in (?:your )?browser|"
    r"forward (?:this email )?to a friend)\b|©",
    _I,
)
FURNITURE_WEAK_MAX_WORDS = 12
FURNITURE_STRONG_MAX_WORDS = 30

# A heading that opens a rail of links to other stories.
TEASER_HEADING = re.compile(
    r"^(?:recent(?: articles| posts| stories)?|top stories|top shows|latest(?: news| stories)?|"
    r"more (?:from|in|on|about) [\w &'-]{1,40}|more stories|more shorts|more impact shorts|"
    r"impact shorts|related(?: articles| stories| posts| news| coverage)?|"
    r"recommended(?: for you| stories| reading)?|trending(?: now| stories)?|"
    r"most (?:read|popular|viewed|shared)|also read|read next|read also|editor'?s picks|"
    r"you (?:may|might) also like|popular(?: stories)?|our books|quick links)\s*:?$",
    _I,
)

# After one of these, nothing on the page is the article any more.
END_OF_ARTICLE = re.compile(r"^(?:end of (?:the )?article|end of story)\.?$", _I)
# The heading of the readers' comments: below the article, once it has begun.
COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+)?(?:top rated |readers'? |reader |user |recent |latest |show |view |all )?"
    r"comments?(?:\s*\(\d+\))?\s*:?$|^(?:leave|post|add|write) a (?:reply|comment|response)$|"
    r"^join the (?:conversation|discussion)$|^comments are closed\.?$|^discussion$|^responses?$",
    _I,
)
# The buttons of a share bar, one to a line; a "Comments" among them counts the comments
# below the article, it does not head them.
SHARE_BUTTON = re.compile(
    r"^(?:share|facebook|twitter|x|email|e-mail|mail|print|whatsapp|linkedin|reddit|pinterest|"
    r"flipboard|messenger|telegram|copy link|tweet)$",
    _I,
)

# Photo captions end with a credit: "... File Image/Reuters", "... Photo: AP".
CAPTION_CREDIT = re.compile(
    r"(?:\b(?:file )?(?:image|photo|picture|pic|credit)s?\s*(?:/|:|by|via|courtesy)\s*"
    r"[\w .&-]{2,40}|\((?:AP|AFP|Reuters|Getty Images)(?: Photo)?\))$",
    _I,
)

# The republication note that names the outlet: "This article originally appeared at X."
ORIGINALLY_APPEARED = re.compile(
    r"originally appeared (?:at|in|on) (?P<outlet>[\w .&'-]{2,60}?)\.?$", _I
)
REPORTED_BY = re.compile(
    r"\bThis was reported by (?P<outlet>[A-Z][\w.&'-]{1,40}) with reference to", _I
)
# Outlet names may arrive glued to a share bar ("ShareNewsweek"): camel-case words split there.
TRUST_PROJECT = re.compile(
    r"(?P<outlet>[A-Z][a-z0-9.]*(?:[A-Z][a-z0-9.]*)?(?: [A-Z][\w.]*){0,3}) is a Trust Project member"
)
PREFERRED_SOURCE = re.compile(
    r"\bAdd (?P<outlet>[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}) as a preferred source"
)
