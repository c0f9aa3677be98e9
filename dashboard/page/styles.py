"""The page's own CSS: presentation mode and the side panel's date banner."""

PRESENT_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
.st-key-playback_settings { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 0.6rem 1rem 0.2rem !important; max-width: 100% !important; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.35rem; }
iframe[title="streamlit_folium.st_folium"] {
  height: calc(100vh - 13.5vh - 4.6rem) !important; }
.oem-present-banner { display: flex; align-items: center; justify-content: space-between;
  gap: 1.5rem; background: #111; color: #fff; border-radius: 4px;
  padding: 0.6vh 1.4vw; min-height: 11.5vh; box-sizing: border-box; }
.oem-present-banner .t { font-weight: 700; font-size: clamp(18px, 3.1vh, 40px); line-height: 1.15; }
.oem-present-banner .d { text-align: right; white-space: nowrap; }
.oem-present-banner .d b { display: block; font-size: clamp(30px, 6.2vh, 76px); line-height: 1.05; }
.oem-present-banner .d span { font-size: clamp(13px, 2.1vh, 26px); }
.st-key-present_bar button { min-height: 2.2rem; }
@media (max-width: 640px) {
  .oem-present-banner { flex-wrap: wrap; gap: 0.4rem; }
  .oem-present-banner .d { text-align: left; white-space: normal; } }
.oem-deck-banner .c { font-weight: 400; font-size: clamp(13px, 2vh, 26px); line-height: 1.25;
  margin-top: 0.4vh; white-space: pre-line; display: -webkit-box; -webkit-line-clamp: 3;
  -webkit-box-orient: vertical; overflow: hidden; }
.oem-deck-banner .d .k { display: block; font-size: clamp(12px, 1.7vh, 22px); opacity: 0.85; }
.st-key-oem_escape, .st-key-deck_keys, .st-key-oem_process, .st-key-oem_relay_script {
  position: absolute; width: 0; height: 0; overflow: hidden; }
.st-key-oem_relay, .st-key-oem_ack_box { display: none; }
</style>"""
# A deck's slide: the banner holds a caption and the bar a second row (previous, next, notes).
DECK_PRESENT_CSS = """<style>
iframe[title="streamlit_folium.st_folium"] {
  height: calc(100vh - 16.5vh - 5rem) !important; }
.oem-deck-banner { min-height: 15vh; }
</style>"""
PAGE_CSS = """<style>
[data-testid="stMainBlockContainer"], .block-container { padding-top: 1.4rem !important; }
[data-testid="stMain"] h1 { font-size: 1.45rem; line-height: 1.2; padding: 0.15rem 0 0; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"], .block-container { padding-top: 3.2rem !important; } }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.6rem; }
.oem-date-banner { font-size: 1.6rem; font-weight: 700; margin: 0; }
.oem-date-banner span { display: block; font-size: 0.95rem; font-weight: 400; color: #333; }
.st-key-oem_process, .st-key-oem_relay_script {
  position: absolute; width: 0; height: 0; overflow: hidden; }
.st-key-oem_relay, .st-key-oem_ack_box { display: none; }
</style>"""
