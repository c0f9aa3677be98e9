"""English and Ukrainian text for everything the page, map, legend and slides show. No Streamlit.

``tr(lang)`` gives a lookup: ``T = tr("uk"); T("date")``. Every key has both languages (a unit
test checks it), so a missing translation fails the tests rather than showing a key. Text taken
from data files (titles, descriptions, sources) is not translated: it is shown as the file has it.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard.config import ACLED_CATEGORIES, UCDP_CATEGORIES

LANGS = ("en", "uk")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "uk": "Українська"}

OBLAST_NAMES = {
    "en": {
        "UA-65": "Kherson",
        "UA-23": "Zaporizhzhia",
        "UA-14": "Donetsk",
        "UA-09": "Luhansk",
        "UA-63": "Kharkiv",
    },
    "uk": {
        "UA-65": "Херсонська",
        "UA-23": "Запорізька",
        "UA-14": "Донецька",
        "UA-09": "Луганська",
        "UA-63": "Харківська",
    },
}
# Full names, for tooltips and tables: "Kherson oblast" / "Херсонська область".
OBLAST_SUFFIX = {"en": " oblast", "uk": " область"}
# Map labels: short enough to sit inside the oblast.
LABEL_SUFFIX = {"en": "", "uk": " обл."}

CATEGORY_NAMES = {
    "en": {},  # English labels come from config.category_label
    "uk": {
        "occupation": "окупація",
        "liberation": "звільнення",
        "combat": "бойові дії",
        "referendum": "псевдореферендум",
        "annexation": "спроба анексії",
        "strike_on_civilians": "удар по цивільних",
        "nuclear_safety": "ядерна безпека",
        "detention": "затримання і полон",
        "humanitarian": "гуманітарні наслідки",
        "statement": "заява",
        "diplomacy": "дипломатія",
        "battles": "Бої",
        "explosions_remote_violence": "Вибухи/дистанційне насильство",
        "violence_against_civilians": "Насильство проти цивільних",
        "protests": "Протести",
        "riots": "Заворушення",
        "strategic_developments": "Стратегічні події",
        "riots_protests": "Заворушення/протести (ACLED до 2019)",
        "state_based": "Конфлікт за участі держави",
        "non_state": "Недержавний конфлікт",
        "one_sided": "Одностороннє насильство",
        "other": "інше або не вказано",
    },
}

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    # Genitive, as in a date: "25 вересня 2022".
    "uk": [
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ],
}
MONTHS_SHORT = {
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "uk": [
        "січ",
        "лют",
        "бер",
        "квіт",
        "трав",
        "черв",
        "лип",
        "серп",
        "вер",
        "жовт",
        "лист",
        "груд",
    ],
}
# Streamlit's slider formats dates in the browser (English month names only), so Ukrainian
# uses the numeric form usual in Ukraine.
SLIDER_FORMAT = {"en": "D MMM YYYY", "uk": "DD.MM.YYYY"}
CHART_DATE_FORMAT = {"en": "%d %b %Y", "uk": "%d.%m.%Y"}
SIDES_GENITIVE = {"uk": {"Russia": "Росії", "Ukraine": "України"}}

TEXT: dict[str, tuple[str, str]] = {
    # page and header
    "page_title": ("Oblast Events Map", "Карта подій в областях"),
    "title": (
        "Oblast Events Map: Kherson, Zaporizhzhia, Donetsk, Luhansk, Kharkiv",
        "Карта подій: Херсонська, Запорізька, Донецька, Луганська, Харківська області",
    ),
    "present_title": (
        "Kherson, Zaporizhzhia, Donetsk, Luhansk and Kharkiv oblasts",
        "Херсонська, Запорізька, Донецька, Луганська та Харківська області",
    ),
    "caption": (
        "Events in the five oblasts hit hardest by the 2022 occupation and the so-called "
        "'referendums' · {events} events, {rows} rows from {labels} · data up to {as_of}. "
        "{sources}",
        "Події в п'яти областях, що найбільше постраждали від окупації 2022 року та так званих "
        "«референдумів» · подій: {events}, рядків: {rows}, джерело даних: {labels} · дані до "
        "{as_of}. {sources}",
    ),
    "sources_all_linked": (
        "Every event links to its source; claims by one side are marked as claims.",
        "Кожна подія має посилання на джерело; заяви однієї сторони позначено як заяви.",
    ),
    "sources_some_linked": (
        "{linked} of {rows} rows link to their source; the others name their sources without a "
        "link (ACLED and UCDP publish none per event) or give none.",
        "Посилання на джерело мають {linked} з {rows} рядків; решта називає джерела без "
        "посилання (ACLED і UCDP не публікують їх для окремих подій) або не має їх.",
    ),
    "sources_none_linked": (
        "No row shown links to its source: ACLED and UCDP name their sources without links "
        "(see each popup).",
        "Жоден показаний рядок не має посилання на джерело: ACLED і UCDP називають джерела без "
        "посилань (див. спливні вікна).",
    ),
    "no_title": ("(no title)", "(без назви)"),
    "no_source": ("no source given", "джерело не вказано"),
    "as_in_file": ("As given in the uploaded file", "Як у завантаженому файлі"),
    "read_options": ("Reading options", "Параметри читання"),
    "encoding": ("Text encoding", "Кодування тексту"),
    "enc_auto": ("Detect", "Визначити"),
    "date_order": ("Date order", "Порядок дат"),
    "date_order_help": (
        "How numbers like 05/02/2022 are read. Detect decides per column from the file's own "
        "evidence and says how in the report.",
        "Як читати дати на кшталт 05/02/2022. «Визначити» вирішує для кожного стовпця за даними "
        "самого файлу й пояснює це у звіті.",
    ),
    "order_auto": ("Detect from the file", "Визначити за файлом"),
    "order_dmy": ("Day first (31/12/2022)", "Спершу день (31/12/2022)"),
    "order_mdy": ("Month first (12/31/2022)", "Спершу місяць (12/31/2022)"),
    "order_ymd": ("Year first (22/12/31)", "Спершу рік (22/12/31)"),
    "fmt_mapped": ("Map columns myself", "Зіставити стовпці вручну"),
    "map_title": ("Map the columns of {name}", "Зіставте стовпці файлу {name}"),
    "map_help": (
        "Choose which column holds each field; a record needs a date and a place (coordinates "
        "or an oblast). Guesses from the column names are filled in. The same mapping on the "
        "command line: {args}",
        "Виберіть, який стовпець містить кожне поле; запису потрібні дата й місце (координати "
        "або область). Підказки за назвами стовпців уже заповнено. Те саме в командному рядку: "
        "{args}",
    ),
    "map_why": (
        "The file's columns match no known format (native, ACLED, UCDP GED): map them below.",
        "Стовпці файлу не відповідають жодному відомому формату (власний, ACLED, UCDP GED): "
        "зіставте їх нижче.",
    ),
    "map_preview": ("First rows of the file", "Перші рядки файлу"),
    "map_none": ("— none —", "— немає —"),
    "map_count": (
        "{accepted} of {rows} records would be accepted with this mapping.",
        "З цим зіставленням буде прийнято {accepted} з {rows} записів.",
    ),
    "map_needs": (
        "Choose at least the start date and a place (latitude and longitude, or oblast).",
        "Виберіть щонайменше дату початку й місце (широту й довготу або область).",
    ),
    "report_dates": (
        "Dates in {column}: {explanation}.",
        "Дати в стовпці {column}: {explanation}.",
    ),
    "report_near_border": (
        "{n} record(s) lie just outside Ukraine's outline (within 5 km) and are placed in the "
        "oblast they name, marked 'near the border'.",
        "{n} запис(ів) лежать трохи за межами контуру України (до 5 км) і віднесені до "
        "названої області з позначкою «біля кордону».",
    ),
    "near_border": ("near the border", "біля кордону"),
    "field_fatalities": ("Fatalities", "Загиблі"),
    "field_category": ("Category", "Категорія"),
    "field_id": ("Id", "Ідентифікатор"),
    "field_source_name": ("Source name", "Назва джерела"),
    "field_source_url": ("Source URL", "Посилання на джерело"),
    "field_description": ("Description", "Опис"),
    "field_title": ("Title", "Назва"),
    "field_settlement": ("Settlement", "Населений пункт"),
    "field_oblast": ("Oblast / admin-1", "Область / адмінодиниця 1"),
    "field_lon": ("Longitude", "Довгота"),
    "field_lat": ("Latitude", "Широта"),
    "field_end_date": ("End date", "Дата кінця"),
    "field_start_date": ("Start date", "Дата початку"),
    "and": (" and ", " та "),
    "no_events_title": ("Oblast Events Map", "Карта подій в областях"),
    "no_valid_events": (
        "No valid events to show. Load an events file in the sidebar.",
        "Немає коректних подій для показу. Завантажте файл подій на бічній панелі.",
    ),
    "bundled_unloadable": (
        "The events file {name} cannot be loaded: {error}. Nothing was changed.",
        "Файл подій {name} не вдалося завантажити: {error}. Нічого не змінено.",
    ),
    "bundled_rejected": (
        "{n} record(s) of {name} were rejected.",
        "Відхилено записів файлу {name}: {n}.",
    ),
    "page_failed": (
        "Something went wrong while drawing the page. The data on disk is unchanged.",
        "Під час побудови сторінки сталася помилка. Дані на диску не змінено.",
    ),
    "footer": (
        "Boundaries: Natural Earth 1:10m (public domain); Crimea and Sevastopol shown as part of "
        "Ukraine (UN GA resolution 68/262). Events: each with its source; ACLED data © ACLED "
        "(acleddata.com), UCDP GED CC BY 4.0 (ucdp.uu.se), when loaded.",
        "Кордони: Natural Earth 1:10m (суспільне надбання); Крим і Севастополь показано у складі "
        "України (резолюція ГА ООН 68/262). Події: кожна з джерелом; дані ACLED © ACLED "
        "(acleddata.com), UCDP GED CC BY 4.0 (ucdp.uu.se), якщо завантажені.",
    ),
    "attribution": (
        "Boundaries: Natural Earth (public domain); Crimea and Sevastopol are Ukraine (UN GA "
        "res. 68/262). Events: {sources}.",
        "Кордони: Natural Earth (суспільне надбання); Крим і Севастополь — Україна (рез. ГА ООН "
        "68/262). Події: {sources}.",
    ),
    "sources_note": (
        "each event's source is in the events table",
        "джерело кожної події — у таблиці подій",
    ),
    "made_with": ("Oblast Events Map", "Карта подій в областях"),
    # language and presentation
    "language": ("Language / Мова", "Мова / Language"),
    "present": ("Presentation mode", "Режим презентації"),
    "present_help": (
        "Hides the sidebar and controls; the map fills the screen with a large date banner. "
        "Also opened by present=1 in the link.",
        "Ховає бічну панель і елементи керування; карта на весь екран з великою датою. "
        "Також вмикається параметром present=1 у посиланні.",
    ),
    "exit_present": ("Exit presentation", "Вийти з презентації"),
    # sidebar: data
    "your_data": ("Your data", "Ваші дані"),
    "format": ("Format", "Формат"),
    "fmt_auto": ("Detect from columns", "Визначити за стовпцями"),
    "fmt_native": ("Native (data/README.md)", "Власний формат (data/README.md)"),
    "fmt_acled": ("ACLED export", "Експорт ACLED"),
    "fmt_ucdp": ("UCDP GED", "UCDP GED"),
    "upload": (
        "Load events (CSV, TSV, XLSX or Parquet; up to {limit} MB)",
        "Завантажити події (CSV, TSV, XLSX або Parquet; до {limit} МБ)",
    ),
    "upload_help": (
        "Native, ACLED or UCDP GED files. The file stays in this browser session: it is never "
        "written to disk or shown to anyone else.",
        "Файли власного формату, ACLED або UCDP GED. Файл лишається лише в цьому сеансі "
        "браузера: його не записують на диск і не показують нікому іншому.",
    ),
    "reading": ("Reading {name}…", "Читання {name}…"),
    "show_from": ("Show events from", "Показати події з"),
    "show_from_help": (
        "Bundled: the curated 2022 events. Uploaded: {name}.",
        "Вбудовані: перевірені події 2022 року. Завантажені: {name}.",
    ),
    "ds_Bundled": ("Bundled", "Вбудовані"),
    "ds_Uploaded": ("Uploaded", "Завантажені"),
    "ds_Both": ("Both", "Обидва"),
    # sidebar: filters and map
    "filters": ("Filters", "Фільтри"),
    "category": ("Category", "Категорія"),
    "all_categories": ("All categories", "Усі категорії"),
    "oblast": ("Oblast", "Область"),
    "all_oblasts": ("All oblasts", "Усі області"),
    "outside": (
        "Elsewhere / national / international",
        "Інші регіони / загальнодержавні / міжнародні",
    ),
    "search": ("Search title and description", "Пошук у назві та описі"),
    "map": ("Map", "Карта"),
    "colour_by": ("Colour oblasts by", "Колір областей за"),
    "colour_by_help": (
        "Fatalities: ACLED 'fatalities' or UCDP 'best' estimate, summed over the window.",
        "Загиблі: «fatalities» з ACLED або оцінка «best» з UCDP, сума за період.",
    ),
    "metric_events": ("Events", "Кількістю подій"),
    "metric_fatalities": ("Fatalities", "Кількістю загиблих"),
    "show_outside": (
        "Show events outside the five oblasts",
        "Показати події поза п'ятьма областями",
    ),
    "show_outside_help": (
        "Drawn paler and smaller, over the rest of Ukraine. They are always counted in the "
        "summary and listed in the table.",
        "Показані блідіше й меншими, на решті території України. Вони завжди враховані у "
        "зведенні й наведені в таблиці.",
    ),
    "tiles": ("Tiles (need internet)", "Підкладка (потрібен інтернет)"),
    "tiles_help": (
        "The map is complete without tiles: oblasts and borders are drawn locally.",
        "Карта повна й без підкладки: області та кордони намальовано локально.",
    ),
    "tiles_none": ("None (offline)", "Немає (офлайн)"),
    "tiles_osm": ("OpenStreetMap", "OpenStreetMap"),
    "tiles_carto-light": ("CARTO light", "CARTO light"),
    # time
    "date": ("Date", "Дата"),
    "window": ("Window", "Період"),
    "window_help": (
        "Cumulative: everything up to the date. Last N days: the N days ending on it.",
        "Наростаючим підсумком: усе до дати включно. Останні N днів: N днів, що закінчуються "
        "цією датою.",
    ),
    "w_cumulative": ("Cumulative", "Наростаючим підсумком"),
    "w_7": ("Last 7 days", "Останні 7 днів"),
    "w_30": ("Last 30 days", "Останні 30 днів"),
    "w_90": ("Last 90 days", "Останні 90 днів"),
    "w_custom": ("Custom", "Інший"),
    "days": ("Days", "Днів"),
    "window_cumulative": ("up to {date}", "до {date} включно"),
    "window_days": ("{first} – {date} ({n} days)", "{first} – {date} ({n} дн.)"),
    # playback
    "playback": ("Playback", "Відтворення"),
    "play": ("▶ Play", "▶ Відтворити"),
    "pause": ("⏸ Pause", "⏸ Пауза"),
    "back": ("◀ Back", "◀ Назад"),
    "forward": ("Forward ▶", "Вперед ▶"),
    "step": ("Step", "Крок"),
    "map_date": (
        "Date on the map (arrow keys step a day; the page follows when you pause)",
        "Дата на мапі (стрілки: крок на день; сторінка оновлюється, коли ви зупиняєтесь)",
    ),
    "map_prev": ("Previous day on the map", "Попередній день на мапі"),
    "map_next": ("Next day on the map", "Наступний день на мапі"),
    "locale": ("en-GB", "uk-UA"),
    "step_day": ("1 day", "1 день"),
    "step_week": ("1 week", "1 тиждень"),
    "speed": ("Seconds per step", "Секунд на крок"),
    "loop": ("Loop", "Повтор"),
    "loop_help": (
        "At the last date, start again from the first.",
        "На останній даті почати знову з першої.",
    ),
    "playing": ("Playing", "Відтворення"),
    # link and exports
    "share": ("Link and slides", "Посилання і слайди"),
    "link": ("Link to this view", "Посилання на цей вигляд"),
    "link_help": (
        "Opens exactly this view: date, window, filters, language, map position and mode. "
        "Use the copy button at the right of the box, or select the text.",
        "Відкриває саме цей вигляд: дату, період, фільтри, мову, положення карти й режим. "
        "Скористайтеся кнопкою копіювання праворуч або виділіть текст.",
    ),
    "link_upload_note": (
        "Uploaded files are not part of a link: whoever opens it sees the bundled data.",
        "Завантажені файли не входять до посилання: за ним відкриються вбудовані дані.",
    ),
    "png": ("Slide PNG {size}", "PNG для слайда {size}"),
    "png_help": (
        "The current view drawn on the server: oblasts, context, markers, title, date, legend "
        "and sources.",
        "Поточний вигляд, намальований на сервері: області, контекст, позначки, назва, дата, "
        "легенда й джерела.",
    ),
    "html": ("Map as HTML (works offline)", "Карта як HTML (працює офлайн)"),
    "html_help": (
        "One file with the map of this date, Leaflet included: open it in any browser, no "
        "internet needed.",
        "Один файл із картою на цю дату, разом із Leaflet: відкривається в будь-якому браузері "
        "без інтернету.",
    ),
    # notices from the link
    "link_notice": (
        "Some values in the link were ignored: {items}",
        "Деякі значення з посилання проігноровано: {items}",
    ),
    "dismiss": ("Dismiss", "Закрити"),
    # legend
    "fill": ("Oblast fill", "Заливка області"),
    "fill_events": ("events", "кількість подій"),
    "fill_fatalities": ("fatalities", "кількість загиблих"),
    "span_cumulative": ("up to the date", "до дати включно"),
    "span_days": ("in the last {n} days", "за останні {n} дн."),
    "no_events": ("none", "немає"),
    "under_way_legend": ("event under way on the date", "подія триває на цю дату"),
    "markers": ("Markers", "Позначки"),
    "markers_places": (
        "one circle per place, sized by its events; colour of the newest event's category",
        "одне коло на місце, розмір за кількістю подій; колір — категорія найновішої події",
    ),
    "markers_grid": (
        "too many places to draw one by one, so events are grouped in areas of about {step}° "
        "(~{km} km), sized by their events; colour of the most common category",
        "місць забагато, щоб показати кожне, тож події згруповано в ділянки близько {step}° "
        "(~{km} км), розмір за кількістю подій; колір — найчастіша категорія",
    ),
    # side panel and summary
    "col_oblast": ("Oblast", "Область"),
    "col_events": ("Events", "Події"),
    "col_under_way": ("Under way", "Тривають"),
    "col_fatalities": ("Fatalities", "Загиблі"),
    # chart
    "per_week": ("Events per week", "Подій за тиждень"),
    "loading_table": ("Loading the events table…", "Завантаження таблиці подій…"),
    "loading_chart": ("Loading the chart…", "Завантаження діаграми…"),
    "week_axis": ("Week (Monday)", "Тиждень (з понеділка)"),
    "no_match": ("No events match the filters.", "Жодна подія не відповідає фільтрам."),
    "chart_category": ("category", "категорія"),
    "chart_week": ("week", "тиждень"),
    "chart_events": ("events", "події"),
    # table
    "events_shown": ("Events shown ({n})", "Показані події ({n})"),
    "t_start": ("Start", "Початок"),
    "t_end": ("End", "Кінець"),
    "t_oblast": ("Oblast", "Область"),
    "t_settlement": ("Settlement", "Населений пункт"),
    "t_category": ("Category", "Категорія"),
    "t_title": ("Title", "Назва"),
    "t_status": ("Status", "Статус"),
    "t_claimed_by": ("Claimed by", "Заява сторони"),
    "t_source": ("Source", "Джерело"),
    "t_source_url": ("Source URL", "Посилання на джерело"),
    "t_dataset": ("Dataset", "Набір даних"),
    "t_event_type": ("Event type", "Тип події"),
    "t_sub_event_type": ("Sub-event type", "Підтип події"),
    "t_actor1": ("Actor 1 / side A", "Учасник 1 / сторона A"),
    "t_actor2": ("Actor 2 / side B", "Учасник 2 / сторона B"),
    "t_fatalities": ("Fatalities", "Загиблі"),
    "t_under_way": ("Under way", "Триває"),
    "open_source": ("open source", "відкрити джерело"),
    "download_events": ("Download these events (CSV)", "Завантажити ці події (CSV)"),
    "table_rows": ("Rows in the table", "Рядків у таблиці"),
    "table_rows_n": ("{n} newest", "{n} найновіших"),
    "table_newest": (
        "Showing the newest {n} of {total} events in the window; the CSV has them all.",
        "Показано {n} найновіших із {total} подій у періоді; у CSV є всі.",
    ),
    "status_confirmed": ("confirmed", "підтверджено"),
    "status_claimed": ("claim", "заява"),
    "status_not_held": ("planned, not held", "заплановано, не відбулося"),
    # validation report
    "cannot_use": (
        "{name} cannot be used: {error}. ",
        "Файл {name} не можна використати: {error}. ",
    ),
    "none_loaded": (
        "None of its {rows} records were loaded. ",
        "Жоден із його записів ({rows}) не завантажено. ",
    ),
    "still_bundled": (
        "The map still shows the bundled data.",
        "Карта й далі показує вбудовані дані.",
    ),
    "report_title": (
        "Validation report: {name} · {accepted} of {rows} records accepted, {rejected} rejected",
        "Звіт перевірки: {name} · прийнято {accepted} з {rows} записів, відхилено {rejected}",
    ),
    "no_usable": (
        "{name} holds no usable events; the map shows the bundled data.",
        "У файлі {name} немає придатних подій; карта показує вбудовані дані.",
    ),
    "some_rejected": (
        "{rejected} of {rows} records of {name} were rejected and are not on the map: the "
        "validation report below lists each one with its reason.",
        "Відхилено {rejected} з {rows} записів файлу {name}, їх немає на карті: звіт перевірки "
        "нижче наводить кожен із причиною.",
    ),
    "read_as": (
        "Read as {variant}; {read_as}; {size}.",
        "Прочитано як {variant}; {read_as}; {size}.",
    ),
    "reason": ("Reason", "Причина"),
    "records": ("Records", "Записи"),
    "first_rejected": (
        "First {n} rejected records, with the file's cells:",
        "Перші {n} відхилених записів із клітинками файлу:",
    ),
    "download_rejected": (
        "Download all {n} rejected records (CSV)",
        "Завантажити всі відхилені записи ({n}, CSV)",
    ),
    # map: tooltips and popups
    "tip_events": ("Events in window: {n}", "Подій у періоді: {n}"),
    "tip_fatalities": (
        "Fatalities reported in window: {n}",
        "Загиблих у періоді (за повідомленнями): {n}",
    ),
    "tip_under_way": ("Under way on {date}", "Триває {date}"),
    "under_way": ("under way", "триває"),
    "n_events": ("{n} event(s)", "{n} {events}"),
    "more_events": (
        "… and {n} more: see the events table.",
        "… і ще {n}: див. таблицю подій.",
    ),
    "unnamed_place": ("Unnamed place", "Місце без назви"),
    "event": ("Event", "Подія"),
    "area": ("Area of about {step}°", "Ділянка близько {step}°"),
    "as_coded_by": ("As coded by {dataset}", "Як закодовано в {dataset}"),
    "claim_by": ("Claim by {side}", "Заява: {side}"),
    "not_held": ("Planned, not held", "Заплановано, не відбулося"),
    "confirmed": ("Confirmed", "Підтверджено"),
    "source": ("Source", "Джерело"),
    "sides": ("Sides", "Сторони"),
    "actors": ("Actors", "Учасники"),
    "fatalities_n": ("Fatalities: {n}", "Загиблі: {n}"),
    "fatalities_range": (" (low {low}, high {high})", " (мін. {low}, макс. {high})"),
    "record": ("{dataset}, record {id}", "{dataset}, запис {id}"),
    "vs": (" vs ", " проти "),
    "dataset_bundled": ("Bundled: {name}", "Вбудовані: {name}"),
    "dataset_upload": ("Upload: {name}", "Завантажено: {name}"),
    "claim_legend": ("Claims by one side are marked as claims.", "Заяви однієї сторони позначено."),
}


# LoadResult.outcomes() labels.
OUTCOMES = {
    "uk": {
        "accepted: in the five oblasts": "прийнято: у п'яти областях",
        "accepted: elsewhere in Ukraine": "прийнято: в інших регіонах України",
        "accepted: national / international": "прийнято: загальнодержавні / міжнародні",
        "rejected": "відхилено",
    }
}


def outcome_label(label: str, lang: str) -> str:
    return OUTCOMES.get(check_lang(lang), {}).get(label, label)


def _uk_plural(n: int, one: str, few: str, many: str) -> str:
    """Ukrainian plural form for n: 1 подія, 2 події, 5 подій, 21 подія, 11 подій."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def check_lang(lang: str | None) -> str:
    return lang if lang in LANGS else DEFAULT_LANG


def tr(lang: str) -> Callable[..., str]:
    """A lookup for one language: ``T(key, **values)``."""
    index = LANGS.index(check_lang(lang))

    def T(key: str, **values) -> str:  # noqa: N802 (reads like a gettext call)
        text = TEXT[key][index]
        if key == "n_events" and index == 1:
            values = {**values, "events": _uk_plural(values["n"], "подія", "події", "подій")}
        return text.format(**values) if values else text

    return T


def oblast_name(code: str, lang: str, full: bool = False) -> str:
    name = OBLAST_NAMES[check_lang(lang)].get(code, code)
    return name + OBLAST_SUFFIX[check_lang(lang)] if full else name


def oblast_title(code: str, lang: str) -> str:
    """The name in lists and tables: 'Donetsk' / 'Донецька область'."""
    return oblast_name(code, lang, full=check_lang(lang) == "uk")


def map_label(code: str, lang: str) -> str:
    return OBLAST_NAMES[check_lang(lang)][code] + LABEL_SUFFIX[check_lang(lang)]


def category_name(key: str, lang: str) -> str:
    """A category's label in the language: 'strike on civilians' / 'удар по цивільних'."""
    from dashboard.config import category_label

    if check_lang(lang) == "en" or key not in CATEGORY_NAMES["uk"]:
        return category_label(key)
    name = CATEGORY_NAMES["uk"][key]
    if key in ACLED_CATEGORIES:
        return f"ACLED · {name}"
    if key in UCDP_CATEGORIES:
        return f"UCDP · {name}"
    return name


def long_date(date, lang: str) -> str:
    """'25 September 2022' / '25 вересня 2022'."""
    d = pd.Timestamp(date)
    return f"{d.day} {MONTHS[check_lang(lang)][d.month - 1]} {d.year}"


def short_date(date, lang: str) -> str:
    """'25 Sep 2022' / '25 вер 2022' (day zero-padded as in the popups)."""
    d = pd.Timestamp(date)
    return f"{d.day:02d} {MONTHS_SHORT[check_lang(lang)][d.month - 1]} {d.year}"


def side_claim(side: str, lang: str) -> str:
    """'Claim by Russia' / 'Заява Росії'."""
    if check_lang(lang) == "uk" and side in SIDES_GENITIVE["uk"]:
        return f"Заява {SIDES_GENITIVE['uk'][side]}"
    return tr(lang)("claim_by", side=side)


def status_label(verification: str, lang: str) -> str:
    key = f"status_{verification}"
    return tr(lang)(key) if key in TEXT else str(verification)


def dataset_label(label: str, lang: str) -> str:
    """'Bundled: events.csv' -> 'Вбудовані: events.csv' (the file name is kept as is)."""
    for prefix, key in (("Bundled: ", "dataset_bundled"), ("Upload: ", "dataset_upload")):
        if label.startswith(prefix):
            return tr(lang)(key, name=label[len(prefix) :])
    return label
