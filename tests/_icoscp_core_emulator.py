"""Connects the unmodified icoscp_core (from PyPI) to a running local emulator.

The peer scripts (tests/dobj/dobj_peer.py, emulator/tests/icoscp_core_fidelity.py,
bench/dobj_e2e_peer.py) read a JSON file the TypeScript side writes, with the
emulator's `endpoints`, a `user` and its `password`; `connect` turns it into
icoscp_core's (metadata client, data client) pair, logged in as that user or
as the one given.
"""

from icoscp_core.bootstrap import Bootstrap
from icoscp_core.envri import EnvriConfig


def connect(emu, user=None, password=None):
    ep = emu["endpoints"]
    conf = EnvriConfig(
        envri="ICOS",
        sparql_endpoint=ep["sparql"],
        meta_instance_prefix=ep["metaInstancePrefix"],
        auth_service_base_url=ep["auth"] + "/",
        data_service_base_url=ep["data"],
        default_station_type_url=ep["defaultStationClass"],
        token_name=ep["tokenName"],
        site_used=False,
    )
    return Bootstrap(conf).fromCredentials(user or emu["user"], password or emu["password"])
