"""One package per CRM; each exposes its declaration as `SOURCE` (crm_pipelines.core.source.Source)."""

from __future__ import annotations

import importlib
import pkgutil

from crm_pipelines.core.source import Source


def discover() -> list[Source]:
    """Every source package's declaration, by CRM name: a new CRM is found, not listed."""
    sources = []
    for module in sorted(pkgutil.iter_modules(__path__, f"{__name__}."), key=lambda m: m.name):
        if not module.ispkg:
            continue
        package = importlib.import_module(module.name)
        source = getattr(package, "SOURCE", None)
        if not isinstance(source, Source):
            raise TypeError(f"{module.name} must expose SOURCE = crm_pipelines.core.source.Source(...)")
        if source.crm != module.name.rsplit(".", 1)[1]:
            raise ValueError(f"{module.name} declares crm {source.crm!r}: a source's package is named after it")
        sources.append(source)
    return sources
