"""The words of the items: plain texts for most, and growth's jargon-heavy surge in the latest week."""

from __future__ import annotations

import numpy as np

from trust.demo.content import BODY_LABELS, Content, generate
from trust.demo.credibility import CLAIM_BODIES
from trust.demo.people import TEAMS, Person
from trust.demo.timeline import Timeline

# Each title (content.BODY_LABELS) with the texts written from it: short sentences in everyday
# words, so their Flesch reading ease sits well above 50.
_TEXTS: dict[str, tuple[str, ...]] = {
    "Your monthly account summary is ready": (
        "Your monthly account summary is ready. See what came in, what went out and what is left.",
        "Your monthly account summary is ready. This month it has a simple chart of your top five costs.",
        "Your monthly account summary is ready. Read it in the app, or save it as a file for later."),
    "Three ways to get more from your plan": (
        "Three ways to get more from your plan: set a savings goal, turn on round-ups and add a travel card.",
        "Three ways to get more from your plan. Each takes less than two minutes, and none of them costs a thing.",
        "Three ways to get more from your plan. Get bill reminders, split costs with friends and see what you spend."),
    "We have updated our privacy notice": (
        "We have updated our privacy notice. Nothing changes in how we use your data. The words are now "
        "shorter and clearer.",
        "We have updated our privacy notice. You can read the new version in the app. The changes are "
        "listed at the top.",
        "We have updated our privacy notice. Questions? Reply to this email and a person will answer."),
    "Your renewal is coming up": (
        "Your renewal is coming up. Your plan renews next month at the same price. You do not need to do a thing.",
        "Your renewal is coming up. Check that your card details are still right, so nothing stops.",
        "Your renewal is coming up. If you want to change plans, now is a good time to look."),
    "Your payment is due in 3 days": (
        "Your payment is due in 3 days. Pay in the app to avoid a late fee.",
        "Your payment is due in 3 days. Paid already? Then you can ignore this text.",
        "Your payment is due in 3 days. Need more time? Call us and we will help."),
    "Your verification code expires soon": (
        "Your code expires soon. Use it in the next five minutes, and never share it with anyone.",
        "Your code expires soon. We will never call you to ask for it.",
        "Your code expires soon. Did not ask for a code? Tell us right away."),
    "Reply STOP to opt out of offers": (
        "Reply STOP to opt out of offers. You will still get texts about your account.",
        "Reply STOP to opt out of offers. You can opt back in at any time in the app.",
        "Do not want our offers by text? Reply STOP. We will stop sending them today."),
    "New in the app: instant card freeze": (
        "New in the app: freeze your card. Lost it? Freeze it with one tap, and unfreeze it when it turns up.",
        "New in the app: freeze your card at any hour, even when our phone lines are closed.",
        "New in the app: freeze your card. Tap Cards, then Freeze. That is all it takes."),
    "Your weekly spending insight is ready": (
        "Your weekly spending insight is ready. You spent less on food than last week. Nice work.",
        "Your weekly spending insight is ready. See where your money went and set a goal for next week.",
        "Your weekly spending insight is ready. Tap to see your top three costs."),
    "Meet the team behind our new service": (
        "Meet the team behind our new service. They spent a year talking to customers before they built a thing.",
        "Meet the team behind our new service. Ask them anything in the comments this Friday.",
        "Meet the team behind our new service. Here is what they learned, in their own words."),
    "How we keep your data safe": (
        "How we keep your data safe: we lock it, we limit who can see it, and we never sell it.",
        "How we keep your data safe. A short thread on the steps we take, and the ones you can take too.",
        "How we keep your data safe. No fine print, just the facts. Read on."),
    "Service update: we are on it": (
        "Service update: we are on it. Some card payments are slow right now. We will post again within the hour.",
        "Service update: we are on it. Your money is safe. Thank you for bearing with us.",
        "Service update: we are on it. Our team is fixing the problem with app log-ins."),
    "Help centre: updating your details": (
        "Help centre: how to update your details. Change your address, phone or email in the app under Profile.",
        "Help centre: how to update your details. Most changes work right away. A new name needs a quick check.",
        "Help centre: how to update your details. You can do it all online. There is no need to visit us."),
    "Rates and fees explained": (
        "Rates and fees explained. Here is what each account costs, in plain words and with no small print.",
        "Rates and fees explained. We show every fee up front, so there are no surprises later.",
        "Rates and fees explained. Use the table below to compare our plans side by side."),
    "We guarantee a reply within 24 hours": (
        "We guarantee a reply within 24 hours. Write to us at any time, and a real person will answer.",
        "We guarantee a reply within 24 hours, seven days a week, by chat or by email.",
        "Ask us anything. We guarantee a reply within 24 hours, or we will call you instead."),
    "Your refund will arrive within 5 days": (
        "Your refund will arrive within 5 days. We will send you a note when it lands.",
        "Good news: your refund is on its way. It will reach your account within 5 days.",
        "Your refund will arrive within 5 days. You do not need to do anything else."),
    "Price locked for 12 months, guaranteed": (
        "Your price is locked for 12 months, guaranteed. It will not go up, whatever happens.",
        "Sign up this month and your price is locked for 12 months. That is our promise.",
        "Price locked for 12 months, guaranteed. No hidden rises, and no catch."),
}
# What growth's new copy model wrote in the latest week: long words, long sentences.
JARGON = (
    "Unlock frictionless, end-to-end value realisation through our next-generation, AI-powered "
    "engagement ecosystem.",
    "Leverage hyper-personalised, omnichannel recommendations to operationalise your financial "
    "wellbeing journey.",
    "Our proprietary, algorithmically optimised rewards architecture maximises incremental lifetime "
    "value across every touchpoint.",
    "Experience seamless interoperability between your accounts, enabling holistic, data-driven "
    "liquidity management.",
    "Capitalise on differentiated, best-in-class functionality engineered to accelerate "
    "transformational customer outcomes.",
    "Revolutionary predictive analytics deliver actionable, contextualised intelligence for "
    "strategic everyday decision-making.",
    "Empower your portfolio of financial relationships with scalable, cloud-native personalisation "
    "capabilities.",
    "Synergistic referral incentivisation mechanisms amplify community-driven value co-creation "
    "opportunities.",
)
PLAIN = tuple(text for title in BODY_LABELS for text in _TEXTS[title])
TEXTS = PLAIN + JARGON + CLAIM_BODIES

# Planted (culture.brand_voice): in the 7 days up to `latest`, growth publishes about twice its
# usual weekly volume of AI items, nearly all of it jargon.
SURGE_TEAM = "growth"
SURGE_SHARE = 0.015  # extra growth AI items, as a share of the regular items
_VARIANTS = np.array([len(_TEXTS[title]) for title in BODY_LABELS])
_FIRST = np.concatenate([[0], np.cumsum(_VARIANTS)[:-1]])


def surge(regular: int, people: tuple[Person, ...], rng: np.random.Generator,
          tl: Timeline) -> Content:
    """The extra growth items of the latest week, created Monday to Friday and all AI-drafted."""
    only = tuple(float(team == SURGE_TEAM) for team in TEAMS)
    return generate(max(1, round(SURGE_SHARE * regular)), people, rng, tl, team_p=only,
                    days=(2, 7), ai_share=1.0)


def write(c: Content, rng: np.random.Generator, tl: Timeline) -> None:
    """Give each item its text: one written from its title, jargon for growth's AI items
    published in the latest week, and its claim for an item that makes one."""
    text = _FIRST[c.body] + (rng.random(c.size) * _VARIANTS[c.body]).astype(np.int64)
    week = (c.published >= tl.day(6)) & (c.published <= tl.end)
    jargon = week & (c.ai == 1) & (c.team == TEAMS.index(SURGE_TEAM))
    text[jargon] = len(PLAIN) + rng.integers(0, len(JARGON), int(jargon.sum()))
    claim = c.claim >= 0
    text[claim] = len(PLAIN) + len(JARGON) + c.claim[claim]
    c.text = text
