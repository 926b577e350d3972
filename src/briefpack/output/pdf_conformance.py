"""What WeasyPrint 70 writes against PDF/UA-1 and PDF/A-3, fixed before the PDF is written.

Both checked by an independent validator (`page`, tests/output/test_pdf_conformance.py).

**Metadata** (`plain_metadata`): WeasyPrint compresses the catalog's XMP metadata stream;
PDF/A wants it readable without filters (ISO 19005-1 §6.7.2 "The metadata stream dictionary
shall not contain the Filter key", kept by veraPDF's and `page`'s PDF/A-3 rule
METADATA-FILTER), so that any tool can find the document's metadata.

**Links** (`tag_links`): each link annotation in a `Link` element, described by its text.

WeasyPrint 70 hands a link down to every box inside an `<a>` (`gather_anchors`:
`box.link or parent_link`), so `<a><span lang="de">…</span> / <span lang="en">…</span></a>`
gets one annotation for the `<a>` box and one more for each span (and for anonymous boxes).
Those extra annotations sit in `Span` or `NonStruct` structure elements, which PDF/UA-1
forbids (ISO 14289-1 §7.18.5: "Links shall be tagged with a Link tag" — the rule
PDFUA1-LINK-LINK-TAG of veraPDF and of `page`), and every annotation's /Contents is its
target (`#anchor`), not what the reader sees (§7.18.1: an annotation's alternate description).

`tag_links`, a WeasyPrint finisher, keeps the annotations of the `<a>` boxes (tagged `Link`;
their rectangles cover their spans), drops the nested duplicates from the page and the
structure tree, tags a link annotation that has no `Link` element around it as `Link`, and
sets every link's /Contents to the visible text of its `<a>`.
"""

from __future__ import annotations

from typing import Any


def plain_metadata(document: Any, pdf: Any) -> None:
    """Write the catalog's XMP metadata stream uncompressed (see the module docstring)."""
    ref = pdf.catalog.get("Metadata")
    if ref is not None:
        pdf.objects[int(bytes(ref).split()[0])].compress = False


def tag_links(document: Any, pdf: Any) -> None:
    """Fix the link annotations of a tagged PDF in place (see the module docstring)."""
    import pydyf  # type: ignore[import-untyped]

    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    objects = pdf.objects

    def deref(ref: Any) -> Any:
        return objects[int(bytes(ref).split()[0])]

    boxes = {id(box.link_annotation): box for box in _link_boxes(document)}
    nums = deref(deref(root_ref)["ParentTree"])["Nums"]
    parents = dict(zip(nums[::2], nums[1::2], strict=True))
    for page_ref in pdf.page_references:
        page = deref(page_ref)
        annots = page.get("Annots")
        if not annots:
            continue
        kept = []
        for ref in annots:
            annot = deref(ref)
            key = annot.get("StructParent") if annot.get("Subtype") == "/Link" else None
            if key is None or key not in parents:
                kept.append(ref)
                continue
            element = deref(parents[key])
            if element.get("S") != "/Link":
                if _link_ancestor(element, deref) is not None:
                    _drop_objr(element, ref, deref)  # a duplicate inside its <a>'s Link
                    continue
                element["S"] = "/Link"
            text = _visible_text(boxes.get(id(annot)))
            if text:
                annot["Contents"] = pydyf.String(text)
            kept.append(ref)
        page["Annots"] = pydyf.Array(kept)


def _link_boxes(document: Any) -> list[Any]:
    out = []
    for page in document.pages:
        for link in page.links:
            box = link[-1]
            if getattr(box, "link_annotation", None) is not None:
                out.append(box)
    return out


def _link_ancestor(element: Any, deref: Any) -> Any:
    """Return the nearest `Link` structure element above `element`, or None."""
    ref = element.get("P")
    while ref is not None:
        parent = deref(ref)
        if parent.get("S") == "/Link":
            return parent
        ref = parent.get("P")
    return None


def _drop_objr(element: Any, annot_ref: Any, deref: Any) -> None:
    """Remove the object reference to an annotation from a structure element's kids."""
    kids = element.get("K") or []
    keep = [
        kid for kid in kids if not (isinstance(kid, bytes) and deref(kid).get("Obj") == annot_ref)
    ]
    kids[:] = keep


def _visible_text(box: Any) -> str:
    """Return the text of the `<a>` element a link box belongs to ('' if unknown)."""
    element = getattr(box, "element", None)
    if element is None:
        return ""
    return " ".join(" ".join(element.itertext()).split())
