"""The OpenAPI document names each schema by its class name: two routers defining different schemas under one
name would silently document one with the other's fields (and the response checks would then test the wrong
thing). Every schema name across the API's routers stands for one shape."""

import importlib
import inspect
from collections import defaultdict

from pydantic import BaseModel

from rencai.config.api import api


def test_each_schema_name_stands_for_one_shape():
    modules = {importlib.import_module(view.__module__) for _prefix, router in api._routers
               for path in router.path_operations.values() for view in [op.view_func for op in path.operations]}
    assert any(m.__name__ == "rencai.fulfilment.api" for m in modules)
    by_name: dict[str, dict[str, dict]] = defaultdict(dict)
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseModel) and cls.__module__ == module.__name__ and not cls.__name__.startswith("_"):
                by_name[cls.__name__][module.__name__] = cls.model_json_schema()
    clashes = {name: sorted(shapes) for name, shapes in by_name.items()
               if len({repr(sorted(s.items())) for s in shapes.values()}) > 1}
    assert clashes == {}
