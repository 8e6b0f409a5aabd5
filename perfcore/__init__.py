"""perfcore: reads 项目支出绩效自评表, re-scores them by published rules, checks and grades.

Pure Python; never imports Streamlit.
"""
