"""The smallest Streamlit page with one metric: the first-paint floor of Streamlit itself on this
machine, measured by `bench.browser.floor_paint` the same way as the dashboard's pages."""

import streamlit as st

st.metric("执行率（合成数据）", "100.00%")
