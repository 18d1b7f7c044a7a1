"""nbconvert's HTML exporter for the package's own templates (`baocao`: the report notebook's
outputs as the report's page; `phantich`: notebooks 01-03 as sections of the companion file),
without nbconvert's last pass.

HTMLExporter ends by parsing the whole page it has just written with BeautifulSoup, to give every
image without alt text an English one ("No description has been provided for this image") and to
make JupyterLab's cell wrappers focusable, and then writes the page out again. The package's
templates give every image its alt text (a chart's title and description; tests/render check it)
and have no JupyterLab wrappers, so that pass changed nothing a reader sees. It only re-ordered
attributes, and it took a third of the time of converting the city's notebooks for the companion.
"""

from __future__ import annotations

from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter


class PageExporter(HTMLExporter):
    """HTMLExporter for templates that give every image its alt text: the page as the template
    writes it (TemplateExporter's conversion, with HTMLExporter's resources and filters)."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        # as HTMLExporter does: an output of a widget without its state falls back to its text
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)
