"""Whether a model card is complete: every section the EU AI Act's Annex IV map names has content.

A decision, not a rendering: the card command exits 1 on an incomplete card, and promotion is
refused (:mod:`mlgate.registry.verify`), from :func:`card_problems` here; the renderer
(:mod:`mlgate.report.card`) only states the result.
"""

from __future__ import annotations

import re

#: Section -> the Annex IV points (technical documentation, Regulation (EU) 2024/1689) it serves.
ANNEX_IV: dict[str, str] = {
    "Model details": "1(a) provider, 1(b)-(d) versions, software, form; 2(b) design choices",
    "Owners": "1(a) the provider and who is responsible",
    "Intended use": "1(a) intended purpose; 1(g) instructions for use",
    "Out of scope": "1(a) intended purpose; 3 foreseeable misuse",
    "Training data": "2(d) data requirements, provenance, preparation",
    "Evaluation": "2(g) validation and testing; 3 degrees of accuracy; 4 choice of metrics",
    "Fairness": "2(g) testing; 3 accuracy for specific groups of persons; 2(d) bias measures",
    "Explanations": "2(b) logic of the system; 3 interpretation of outputs",
    "Limitations": "3 capabilities and limitations in performance",
    "Risks": "3 foreseeable unintended outcomes and risks; 5 risk management (Art. 9)",
    "Human oversight": "2(e) human oversight measures (Art. 14); 3",
    "Gate decision": "2(g) validation and testing procedures, their results and sign-off",
    "Monitoring plan": "9 post-market monitoring (Art. 72)",
    "Changes": "6 changes through the lifecycle",
    "Standards": "7 harmonised standards applied",
}

#: Text that stands for content not yet written (skops' own placeholder among them).
PLACEHOLDER = re.compile(
    r"\[More Information Needed\]|\bTODO\b|\bTBD\b|\bFIXME\b|\bplaceholder\b|lorem ipsum",
    re.IGNORECASE,
)


def card_problems(sections: dict[str, str]) -> list[str]:
    """Each Annex IV section that is missing, empty, or a placeholder; empty when complete."""
    problems = []
    for title in ANNEX_IV:
        text = sections.get(title, "").strip()
        if not text:
            problems.append(f"{title}: empty (Annex IV {ANNEX_IV[title].split(' ', 1)[0]})")
        elif PLACEHOLDER.search(text):
            problems.append(f"{title}: a placeholder ({PLACEHOLDER.search(text).group(0)!r})")
    return problems
