"""Small-number suppression: results are never shown for a group so small that its members could
be recognised from them.

The rule, applied by `suppress` to the number of responses in each group (an agency type, a
district, a quarter):

1. A group with at least SMALLEST_GROUP (5) responses is shown as it is.
2. The groups under 5 are put together as "Other groups". If that merged group reaches 5, it is
   shown in their place (and none of them is shown on its own).
3. Otherwise every group under 5 is suppressed: not shown at all, not even its count.
4. If that leaves exactly one group suppressed, anyone could work it out by taking the groups
   shown away from the total. So the smallest group shown is suppressed as well (the first by
   name, if two are the same size); the two together then hide at least 5 responses.

Groups with no responses are left out: they have no one to protect and nothing to show.

Callers use the result to decide what to show, and nothing else:

    shown, merged = suppress({"Schools": 12, "Health": 3, "Police": 2})
    # shown == {"Schools": 12, "Other groups": 5}, merged == "Other groups"

When `merged` is given, the groups merged into it are exactly the groups under 5 with at least
one response (`merged_groups` lists them); no group is then suppressed.
"""

SMALLEST_GROUP = 5
MERGED_LABEL = "Other groups"


def suppress(groups: dict) -> tuple[dict, str | None]:
    """Applies the rule above to {label: number of responses}. Returns (shown, merged label or
    None): `shown` keeps the groups' order, with the merged group, if any, last."""
    present = {label: count for label, count in groups.items() if count > 0}
    small = [label for label, count in present.items() if count < SMALLEST_GROUP]
    shown = {label: count for label, count in present.items() if count >= SMALLEST_GROUP}
    if not small:
        return shown, None
    merged_count = sum(present[label] for label in small)
    if merged_count >= SMALLEST_GROUP:
        shown[MERGED_LABEL] = merged_count
        return shown, MERGED_LABEL
    if len(small) == 1 and shown:
        next_smallest = min(shown, key=lambda label: (shown[label], str(label)))
        del shown[next_smallest]
    return shown, None


def merged_groups(groups: dict) -> list:
    """The labels `suppress` merged into "Other groups", or [] if it merged none."""
    _, merged = suppress(groups)
    if merged is None:
        return []
    return [label for label, count in groups.items() if 0 < count < SMALLEST_GROUP]
