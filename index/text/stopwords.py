"""English function words: ignored when comparing topics and when picking key terms."""

from __future__ import annotations

STOPWORDS = frozenset(
    (
        "the a an and or but of in on at to for from by with as is are was were be been being "
        "has have had it its this that these those he she they his her their them we you our "
        "your not no will would could should can may might than then there here what which who "
        "whom whose when where why how all any some more most much many other into over after "
        "before about against between during under up down out off again also just only very "
        "say said says tell told do does did"
    ).split()
)

# Words that ask rather than name: a question's "why" or "did" says what kind of answer is
# wanted, and matching them in articles finds headings like "Why It Matters", not answers.
QUESTION_WORDS = frozenset("who whom whose what which when where why how".split())
ASKING_WORDS = QUESTION_WORDS | frozenset("do does did".split())
