"""The trust dashboard: page set-up, the shared frame (week, team, freshness) and the router.

A setting that needs fixing, the sign-in screen and a refusal replace the whole app (trust.ui.gate), so no
page runs behind them and the sidebar shows no links. A new export that lands while a page is drawn makes the
run start again on it, so no page shows results of two exports.

`streamlit run app.py` finds `app` below and serves this file as an ASGI app, imported once by the server,
whose start computes the latest week before anyone asks (trust.ui.warmup); every session then runs this file as
its page script, under the name `__main__`, and takes the other branch.
"""

import streamlit as st

from trust.configuration import ConfigProblem
from trust.ui import frame, gate, navigation, session, warmup

if __name__ != "__main__":  # the server importing its app, once
    app = st.App(__file__, lifespan=warmup.lifespan)
else:
    st.set_page_config(page_title="Trust dashboard", page_icon="🛡️", layout="wide")
    try:
        frame.sidebar()
    except ConfigProblem as found:
        gate.show(gate.problem(found))
    except gate.Blocked as blocked:
        gate.show(blocked)
    except session.ExtractsChanged:
        st.rerun()
    else:
        try:
            st.navigation(navigation.pages()).run()
        except ConfigProblem as found:  # met by a page (a store that broke since): shown where it happened
            gate.describe(found)
        except session.ExtractsChanged:
            st.rerun()
        finally:
            frame.end_of_run()
