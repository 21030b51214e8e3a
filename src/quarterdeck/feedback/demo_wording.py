"""How Harborline's demo customers word their feedback: openers, lead-ins, contexts by segment,
closers by tone, typos now and then, the odd very long e-mail, and the re-sent near-duplicate.
The topics themselves (what they talk about) are in demo_texts.py."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Final

from quarterdeck.demo.events_population import Account
from quarterdeck.feedback.demo_texts import Topic

ALTERNATIVES: Final = re.compile(r"\[([^\]]*)\]")
NUMBERS: Final = (6, 12, 15, 20, 25, 40, 60, 85, 120)

# Openers and closers by tone, contexts by segment; {first} is the sender's first name.
OPENERS: Final = ("Hi team,", "Hello,", "Hi all,", "Good morning,", "Hey,", "Dear Harborline team,")
CLOSERS: Final = {
    "pain": ("Please fix this asap.", "This is hurting us every day.", "Really frustrating.",
             "Can you give us an update?", "This needs attention."),
    "ask": ("Is this on the roadmap?", "Would love to see this.", "Happy to be a design partner.",
            "Any plans for this?", "This would make a big difference for us."),
    "praise": ("Great work!", "Thanks to the whole team.", "Keep it up.", "Really happy with it."),
    "worry": ("Please confirm the timeline.", "We need a plan before we renew.",
              "Who can we talk to about this?"),
}  # fmt: skip
CONTEXTS: Final = {
    "Mid-market carriers": ("We run {n} trucks out of {site}.", "Our dispatch team is small."),
    "Enterprise shippers": ("This affects all of our plants.", "Procurement is watching this."),
    "Freight brokers": ("Our brokers move {n} loads a day.", "Margins are thin this season."),
    "3PLs": ("This is across our {n} client warehouses.", "Peak season starts soon."),
    "Retail distribution centres": ("Our DC in {site} ships to {n} stores.",),
}
LEADINS: Final = {
    "pain": ("Heads up:", "Again today:", "Problem:", "Since {day}:", "Issue at our {site} site:",
             "Reported by dispatch:", "Bug:"),
    "ask": ("Feature request:", "Idea:", "Wishlist:", "Request from ops:", "Suggestion:",
            "Quick one:"),
    "praise": ("Just wanted to say:", "Kudos:", "Quick note of thanks:", "Feedback from ops:"),
    "worry": ("Question:", "Concern:", "Before our renewal:", "Raised by our CIO:"),
}  # fmt: skip
SALES_PREFIXES: Final = ("Call notes:", "From the renewal call:", "Prospect call:", "QBR notes:")
RESEND: Final = ("Resending in case this got lost:", "Following up on my earlier message.",
                 "Any news on this? Repeating for my colleague:", "Re:")  # fmt: skip
REWORDS: Final = (("Please ", "Could you please "), ("We need ", "We really need "),
                  ("cannot", "can't"), ("can't", "are unable to"), (" is ", " seems "),
                  ("Drivers ", "Our drivers "), ("We ", "Our team "))  # fmt: skip
SITES: Final = ("Rotterdam", "Hamburg", "Lyon", "Dallas", "Columbus", "Memphis", "Leeds", "Milan",
                 "Antwerp", "Denver", "Reno", "Turin", "Bristol", "Atlanta")  # fmt: skip
DAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
RAMBLE: Final = (
    "To give you some background, we moved to Harborline two years ago after a long selection "
    "process, and overall the team has been happy with the products and the support we get.",
    "I have discussed this with our operations manager, our IT lead and two of the dispatchers "
    "who deal with it every day, and we all agree it is the most pressing issue for us now.",
    "We are reviewing our tooling for next year and this will come up in that discussion, so "
    "it would really help to know what the plans are and roughly when we can expect changes.",
)


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def fill(rng: random.Random, phrase: str) -> str:
    """The phrase with one alternative of each [a|b] and its {n}, {site} and {day} filled in."""
    phrase = ALTERNATIVES.sub(lambda m: rng.choice(m.group(1).split("|")), phrase)
    day = rng.choice(DAYS)
    return phrase.format(n=rng.choice(NUMBERS), site=rng.choice(SITES), day=day)


def typo(rng: random.Random, text: str) -> str:
    """Now and then a slip of the keyboard: two letters swapped, or no capitals at all."""
    if rng.random() < 0.3:
        return text.lower().rstrip(".")
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
    if long:
        i = rng.choice(long)
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def compose(rng: random.Random, topic: Topic, account: Account, length: int) -> str:
    parts = [fill(rng, rng.choice(topic.cores))]
    if rng.random() < 0.4:
        parts.insert(0, fill(rng, rng.choice(LEADINS[topic.tone])))
    if length >= 1 and topic.details and rng.random() < 0.9:
        parts.append(fill(rng, rng.choice(topic.details)))
    if length >= 2:
        parts.append(fill(rng, rng.choice(CONTEXTS[account.segment])))
    if length >= 1 and rng.random() < 0.6:
        parts.append(rng.choice(CLOSERS[topic.tone]))
    return " ".join(parts)


def long_email(rng: random.Random, topic: Topic, account: Account, sender: Contact) -> str:
    """A very long e-mail: background, the issue at length, and the earlier thread quoted."""
    rambles = rng.sample(RAMBLE, len(RAMBLE))
    issue = " ".join(fill(rng, p) for p in (*topic.cores[:3], *topic.details))
    earlier = compose(rng, topic, account, 2)
    return (
        f"{rng.choice(OPENERS)}\n\n{rambles[0]}\n\n{issue}\n\n{rambles[1]} {rambles[2]}\n\n"
        f"Best regards,\n{sender.name}\n{account.name}\n\n-----Original message-----\n{earlier}"
    )


def item_text(
    rng: random.Random, topic: Topic, source: str, account: Account, sender: Contact
) -> str:
    if source == "email" and rng.random() < 0.04:
        return long_email(rng, topic, account, sender)
    length = rng.choices((0, 1, 2), (0.12, 0.5, 0.38))[0]
    body = compose(rng, topic, account, length)
    if rng.random() < 0.08:
        body = typo(rng, body)
    first = sender.name.split(" ")[0]
    subject = rng.choice(topic.subjects)
    match source:
        case "email":
            return f"{rng.choice(OPENERS)}\n\n{body}\n\nThanks,\n{first}"
        case "support" | "portal":
            return f"{subject}\n\n{body}" if rng.random() < 0.6 else body
        case "sales":
            return f"{rng.choice(SALES_PREFIXES)} ({account.name}) {body}"
    return body if rng.random() < 0.6 else f"{body} (via {first}, {account.name})"


def reword(text: str) -> str:
    for old, new in REWORDS:
        if old in text:
            return text.replace(old, new, 1)
    return f"Again: {text}"
