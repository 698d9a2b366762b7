"""The app's Streamlit layer, the only code that imports streamlit: session, frame, navigation and pages' parts."""
