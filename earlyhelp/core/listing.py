"""What every list page shares: links that keep the filters, sortable column headings, and
GOV.UK pagination that never fails on a page number a person typed."""


def url_with(query, **changes):
    """This page's address with some parameters changed; None removes one."""
    params = query.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def sort_headers(query, current_sort, columns):
    """Column headings from (label, sort key or None[, numeric]); sortable ones link to the list
    sorted by them (ascending first, or the other way when already sorted that way) and the
    sorted one says so with aria-sort."""
    descending = current_sort.startswith("-")
    current_key = current_sort.lstrip("-")
    headers = []
    for label, key, *numeric in columns:
        header = {"label": label, "numeric": bool(numeric and numeric[0]), "url": None}
        header["aria_sort"] = None
        if key:
            is_current = key == current_key
            next_sort = key if (not is_current or descending) else f"-{key}"
            header["url"] = url_with(query, sort=next_sort, page=None)
            if is_current:
                header["aria_sort"] = "descending" if descending else "ascending"
        headers.append(header)
    return headers


def page_number(raw, paginator) -> tuple[int, int | None]:
    """The page to show for what was asked, and the number asked for when it was past the end
    (so the page can say so)."""
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1, None
    if number < 1:
        return 1, None
    if number > paginator.num_pages:
        return paginator.num_pages, number
    return number, None


def _page_items(page):
    """The first and last pages, the current one and its neighbours, an ellipsis for each gap."""
    last = page.paginator.num_pages
    wanted = sorted(
        {1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1))
    )
    items, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "current": number == page.number})
        previous = number
    return items


def pagination(query, page):
    """What the GOV.UK pagination component needs, or None for a single page."""
    if page.paginator.num_pages < 2:
        return None
    items = _page_items(page)
    for item in items:
        if "number" in item:
            item["url"] = url_with(query, page=str(item["number"]))
    return {
        "items": items,
        "previous_url": url_with(query, page=str(page.number - 1)) if page.has_previous() else None,
        "next_url": url_with(query, page=str(page.number + 1)) if page.has_next() else None,
    }
