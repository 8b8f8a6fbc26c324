from seqx.testing import PluginConformance


class TestPlugin(PluginConformance):
    plugin = "seqx_data.plugin"
