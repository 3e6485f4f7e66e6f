"""The wording of judicial acts in Kazakh, Russian and English.

Deliberately *not* the web's translation catalogs: an act's bytes are recorded (sha256) in the
docket and ``medcourt verify`` re-renders every act from the events to check them, so the words an
act was written with must not move when someone retouches a label of the UI. Changing anything
here changes how acts render: do it only with a new ``ACT_FORMAT`` in ``projections.acts``.
The vocabulary was taken from the catalogs once (web/translations, November 2026).
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")

VOCABULARY: dict[str, dict[str, dict[str, str]]] = {
    "answer": {
        "no": {"en": "no", "kk": "жоқ", "ru": "нет"},
        "partly": {"en": "partly", "kk": "ішінара", "ru": "частично"},
        "undetermined": {"en": "undetermined", "kk": "анықталмады", "ru": "не установлено"},
        "yes": {"en": "yes", "kk": "иә", "ru": "да"},
    },
    "authority": {
        "inspectorate": {"en": "inspectorate", "kk": "тексеруші орган", "ru": "проверяющий орган"},
        "prosecutor": {"en": "prosecutor", "kk": "прокурор", "ru": "прокурор"},
    },
    "court": {
        "ABA": {"en": "Abai", "kk": "Абай", "ru": "Абай"},
        "AKM": {"en": "Akmola", "kk": "Ақмола облысы", "ru": "Акмолинская область"},
        "AKT": {"en": "Aktobe", "kk": "Ақтөбе облысы", "ru": "Актюбинская область"},
        "ALA": {"en": "Almaty (city)", "kk": "Алматы (қала)", "ru": "Алматы (город)"},
        "ALM": {"en": "Almaty region", "kk": "Алматы облысы", "ru": "Алматинская область"},
        "AST": {"en": "Astana", "kk": "Астана", "ru": "Астана"},
        "ATY": {"en": "Atyrau", "kk": "Атырау облысы", "ru": "Атырауская область"},
        "KAR": {"en": "Karaganda", "kk": "Қарағанды облысы", "ru": "Карагандинская область"},
        "KOS": {"en": "Kostanay", "kk": "Қостанай облысы", "ru": "Костанайская область"},
        "KZY": {"en": "Kyzylorda", "kk": "Қызылорда облысы", "ru": "Кызылординская область"},
        "MAN": {"en": "Mangystau", "kk": "Маңғыстау облысы", "ru": "Мангистауская область"},
        "PAV": {"en": "Pavlodar", "kk": "Павлодар облысы", "ru": "Павлодарская область"},
        "SHY": {"en": "Shymkent", "kk": "Шымкент", "ru": "Шымкент"},
        "SKO": {"en": "North Kazakhstan", "kk": "Солтүстік Қазақстан облысы", "ru": "Северо-Казахстанская область"},
        "TUR": {"en": "Turkistan", "kk": "Түркістан облысы", "ru": "Туркестанская область"},
        "ULY": {"en": "Ulytau", "kk": "Ұлытау облысы", "ru": "Улытауская область"},
        "VKO": {"en": "East Kazakhstan", "kk": "Шығыс Қазақстан облысы", "ru": "Восточно-Казахстанская область"},
        "ZHM": {"en": "Jambyl", "kk": "Жамбыл облысы", "ru": "Жамбылская область"},
        "ZHT": {"en": "Jetisu", "kk": "Жетісу облысы", "ru": "Жетысуская область"},
        "ZKO": {"en": "West Kazakhstan", "kk": "Батыс Қазақстан облысы", "ru": "Западно-Казахстанская область"},
    },
    "disposition": {
        "liability_found": {"en": "liability found", "kk": "жауапкершілік анықталды", "ru": "ответственность установлена"},
        "no_liability": {"en": "no liability", "kk": "жауапкершілік анықталмады", "ru": "ответственность не установлена"},
        "settled": {"en": "settled", "kk": "реттелді", "ru": "урегулировано"},
        "terminated": {"en": "terminated", "kk": "тоқтатылды", "ru": "прекращено"},
        "transferred": {"en": "transferred", "kk": "берілді", "ru": "передано"},
        "withdrawn": {"en": "withdrawn", "kk": "кері қайтарылды", "ru": "отозвано"},
    },
    "document_kind": {
        "claim": {"en": "claim", "kk": "талап арыз", "ru": "иск"},
        "evidence": {"en": "evidence", "kk": "дәлел", "ru": "доказательство"},
        "expert_report": {"en": "expert report", "kk": "сарапшы қорытындысы", "ru": "заключение эксперта"},
        "indictment": {"en": "indictment", "kk": "айыптау актісі", "ru": "обвинительный акт"},
        "medical_record": {"en": "medical record", "kk": "медициналық құжаттама", "ru": "медицинская документация"},
        "motion": {"en": "motion", "kk": "өтінішхат", "ru": "ходатайство"},
        "other": {"en": "other", "kk": "басқа", "ru": "иное"},
        "protocol": {"en": "protocol", "kk": "хаттама", "ru": "протокол"},
        "response": {"en": "response", "kk": "пікір", "ru": "отзыв"},
        "ruling": {"en": "ruling", "kk": "шешім", "ru": "решение"},
        "settlement_agreement": {"en": "settlement agreement", "kk": "татуласу келісімі", "ru": "мировое соглашение"},
    },
    "examination_kind": {
        "commission": {"en": "commission", "kk": "комиссиялық", "ru": "комиссионная"},
        "complex": {"en": "complex", "kk": "кешенді", "ru": "комплексная"},
        "forensic_medical": {"en": "forensic medical", "kk": "сот-медициналық", "ru": "судебно-медицинская"},
    },
    "finding": {
        "incident": {"en": "incident", "kk": "оқыс оқиға", "ru": "несчастный случай"},
        "malpractice": {
            "en": "malpractice",
            "kk": "медициналық көмекті тиісінше көрсетпеу",
            "ru": "ненадлежащее оказание медицинской помощи",
        },
        "medical_error": {"en": "medical error", "kk": "дәрігерлік қателік", "ru": "врачебная ошибка"},
        "no_causation": {"en": "no causation", "kk": "себептік байланыс жоқ", "ru": "нет причинной связи"},
        "unfounded": {"en": "unfounded", "kk": "негізсіз", "ru": "необоснованно"},
    },
    "harm": {
        "death": {"en": "death", "kk": "өлім", "ru": "смерть"},
        "minor": {"en": "minor", "kk": "болмашы", "ru": "незначительный"},
        "moderate": {"en": "moderate", "kk": "орташа ауырлықтағы", "ru": "средней тяжести"},
        "none": {"en": "none (potential harm)", "kk": "жоқ (ықтимал зиян)", "ru": "нет (потенциальный вред)"},
        "serious": {"en": "serious", "kk": "ауыр", "ru": "тяжкий"},
    },
    "head": {
        "lost_profit": {"en": "lost profit", "kk": "айырылған пайда", "ru": "упущенная выгода"},
        "moral_harm": {"en": "moral harm", "kk": "моральдық зиян", "ru": "моральный вред"},
        "real_damage": {"en": "real damage", "kk": "нақты залал", "ru": "реальный ущерб"},
    },
    "relation": {
        "heir": {"en": "heir", "kk": "мұрагер", "ru": "наследник"},
        "patient": {"en": "patient", "kk": "пациент", "ru": "пациент"},
        "relative": {"en": "relative", "kk": "туысы", "ru": "родственник"},
        "representative": {"en": "representative", "kk": "өкіл", "ru": "представитель"},
    },
    "respondent_kind": {
        "organization": {"en": "organization", "kk": "ұйым", "ru": "организация"},
        "specialist": {"en": "specialist", "kk": "маман", "ru": "специалист"},
    },
    "role": {
        "admin": {"en": "administrator", "kk": "әкімші", "ru": "администратор"},
        "analyst": {"en": "analyst", "kk": "талдаушы", "ru": "аналитик"},
        "clerk": {"en": "clerk", "kk": "хатшы", "ru": "секретарь"},
        "judge": {"en": "judge", "kk": "судья", "ru": "судья"},
        "system": {"en": "system", "kk": "жүйе", "ru": "система"},
    },
    "sanction": {
        "certificate_withdrawal": {"en": "certificate withdrawal", "kk": "сертификаттан айыру", "ru": "лишение сертификата"},
        "fine": {"en": "fine", "kk": "айыппұл", "ru": "штраф"},
        "imprisonment": {"en": "imprisonment", "kk": "бас бостандығынан айыру", "ru": "лишение свободы"},
        "licence_revocation": {"en": "licence revocation", "kk": "лицензиядан айыру", "ru": "лишение лицензии"},
        "licence_suspension": {"en": "licence suspension", "kk": "лицензияны тоқтата тұру", "ru": "приостановление лицензии"},
    },
    "specialty": {
        "surgery": {"en": "surgery", "kk": "хирургия", "ru": "хирургия"},
        "obstetrics_gynecology": {"en": "obstetrics and gynecology", "kk": "акушерлік және гинекология", "ru": "акушерство и гинекология"},
        "anesthesiology": {"en": "anesthesiology", "kk": "анестезиология", "ru": "анестезиология"},
        "pediatrics": {"en": "pediatrics", "kk": "педиатрия", "ru": "педиатрия"},
        "therapy": {"en": "therapy", "kk": "терапия", "ru": "терапия"},
        "cardiology": {"en": "cardiology", "kk": "кардиология", "ru": "кардиология"},
        "oncology": {"en": "oncology", "kk": "онкология", "ru": "онкология"},
        "traumatology": {"en": "traumatology", "kk": "травматология", "ru": "травматология"},
        "dentistry": {"en": "dentistry", "kk": "стоматология", "ru": "стоматология"},
        "emergency_medicine": {"en": "emergency medicine", "kk": "шұғыл медицина", "ru": "неотложная медицина"},
        "neurology": {"en": "neurology", "kk": "неврология", "ru": "неврология"},
        "ophthalmology": {"en": "ophthalmology", "kk": "офтальмология", "ru": "офтальмология"},
    },
    "track": {
        "administrative": {"en": "administrative", "kk": "әкімшілік", "ru": "административное"},
        "civil": {"en": "civil", "kk": "азаматтық", "ru": "гражданское"},
        "criminal": {"en": "criminal", "kk": "қылмыстық", "ru": "уголовное"},
    },
}

PHRASES: dict[str, dict[str, str]] = {
    "title": {"kk": "СОТ ШЕШІМІ", "ru": "РЕШЕНИЕ СУДА", "en": "JUDGMENT"},
    "in_the_name": {
        "kk": "Қазақстан Республикасының атынан",
        "ru": "Именем Республики Казахстан",
        "en": "In the name of the Republic of Kazakhstan",
    },
    "court": {
        "kk": "{region} мамандандырылған медициналық соты",
        "ru": "Специализированный медицинский суд: {region}",
        "en": "Specialized Medical Court of {region}",
    },
    "public_copy": {
        "kk": "Жария көшірме: жеке тұлғалардың аттары бүркеншік белгілермен ауыстырылған",
        "ru": "Публичная копия: имена физических лиц заменены псевдонимами",
        "en": "Public copy: the names of individuals are replaced by pseudonyms",
    },
    "case_no": {"kk": "Іс № {number}", "ru": "Дело № {number}", "en": "Case No. {number}"},
    "decided_on": {"kk": "Шешім шығарылған күн: {date}", "ru": "Дата решения: {date}", "en": "Decided on: {date}"},
    "track": {"kk": "Іс жүргізу түрі: {track}", "ru": "Вид производства: {track}", "en": "Proceedings: {track}"},
    "judge": {"kk": "Судья: {name}", "ru": "Судья: {name}", "en": "Judge: {name}"},
    "parties": {"kk": "Тараптар", "ru": "Стороны", "en": "Parties"},
    "claimant": {"kk": "Талапкер (жәбірленуші): {name}", "ru": "Истец (потерпевший): {name}", "en": "Claimant (victim): {name}"},
    "respondent": {
        "kk": "Жауапкер {id}: {name} ({kind}, {ident})",
        "ru": "Ответчик {id}: {name} ({kind}, {ident})",
        "en": "Respondent {id}: {name} ({kind}, {ident})",
    },
    "certificate": {"kk": "сертификат {value}", "ru": "сертификат {value}", "en": "certificate {value}"},
    "bin": {"kk": "БСН {value}", "ru": "БИН {value}", "en": "BIN {value}"},
    "authority": {"kk": "{kind}: {name}", "ru": "{kind}: {name}", "en": "{kind}: {name}"},
    "representative": {"kk": "Өкіл: {name}", "ru": "Представитель: {name}", "en": "Representative: {name}"},
    "incident": {
        "kk": "Медициналық көмек көрсетілген күн: {incident}; талап қабылданған күн: {received}; мамандық: {specialty}",
        "ru": "Дата оказания медицинской помощи: {incident}; дата поступления: {received}; специальность: {specialty}",
        "en": "Date of the medical care at issue: {incident}; received on: {received}; specialty: {specialty}",
    },
    "claims": {"kk": "Талаптар", "ru": "Требования", "en": "Claims"},
    "alleged_harm": {"kk": "Мәлімделген зиян: {harm}", "ru": "Заявленный вред: {harm}", "en": "Alleged harm: {harm}"},
    "claimed": {"kk": "Талап етілді, {head}: {amount}", "ru": "Заявлено, {head}: {amount}", "en": "Claimed, {head}: {amount}"},
    "summary": {"kk": "Мәні: {text}", "ru": "Существо: {text}", "en": "Summary: {text}"},
    "experts": {"kk": "Сарапшылардың қорытындылары", "ru": "Заключения экспертов", "en": "Experts' conclusions"},
    "examination": {
        "kk": "{id}, {kind} сараптама ({experts}), қорытынды {received} алынды",
        "ru": "{id}, {kind} экспертиза ({experts}), заключение получено {received}",
        "en": "{id}, {kind} examination ({experts}), report received on {received}",
    },
    "conclusions": {
        "kk": "Медициналық көмек стандарты сақталды ма: {soc}; себептік байланыс: {causation}; анықталған зиян: {harm}",
        "ru": "Стандарт медицинской помощи соблюдён: {soc}; причинная связь: {causation}; установленный вред: {harm}",
        "en": "Standard of care met: {soc}; causation: {causation}; harm found: {harm}",
    },
    "no_reports": {"kk": "Сараптама қорытындылары жоқ.", "ru": "Заключений экспертов нет.", "en": "No expert reports."},
    "established": {"kk": "Сот анықтады", "ru": "Суд установил", "en": "The court found"},
    "finding": {"kk": "Тұжырым: {finding}", "ru": "Вывод: {finding}", "en": "Finding: {finding}"},
    "harm_found": {"kk": "Анықталған зиян: {harm}", "ru": "Установленный вред: {harm}", "en": "Harm found: {harm}"},
    "reasoning": {"kk": "Уәжді бөлім", "ru": "Мотивировочная часть", "en": "Reasoning"},
    "decided": {"kk": "Сот шешті", "ru": "Суд решил", "en": "The court decided"},
    "disposition": {"kk": "Шешім: {disposition}", "ru": "Решение: {disposition}", "en": "Disposition: {disposition}"},
    "liable": {"kk": "Жауапты деп танылды: {names}", "ru": "Признаны ответственными: {names}", "en": "Found liable: {names}"},
    "fine": {
        "kk": "{name}: айыппұл {mci} АЕК ({mci_words} АЕК), яғни {amount}",
        "ru": "{name}: штраф {mci} МРП ({mci_words} МРП), что составляет {amount}",
        "en": "{name}: a fine of {mci} MCI ({mci_words} MCI), that is {amount}",
    },
    "mci_rate": {
        "kk": "АЕК мөлшері медициналық көмек көрсетілген күнгі: {amount}",
        "ru": "МРП на дату оказания медицинской помощи: {amount}",
        "en": "MCI on the date of the medical care: {amount}",
    },
    "term": {"kk": "{name}: {kind}, {months} ай", "ru": "{name}: {kind}, {months} мес.", "en": "{name}: {kind}, {months} months"},
    "sanction": {"kk": "{name}: {kind}", "ru": "{name}: {kind}", "en": "{name}: {kind}"},
    "awarded": {
        "kk": "{head}: {awarded} өндірілді, төленуге тиіс: {payable}",
        "ru": "{head}: присуждено {awarded}, к выплате: {payable}",
        "en": "{head}: awarded {awarded}, payable {payable}",
    },
    "fault": {
        "kk": "Пациенттің өз кінәсі: {pct}% (төленетін сома сол үлеске азайтылды)",
        "ru": "Вина самого пациента: {pct}% (сумма к выплате уменьшена на эту долю)",
        "en": "The patient's contributory fault: {pct}% (the payable amount is reduced by that share)",
    },
    "insurer": {
        "kk": "Сақтандырушының кінәсіз өтемақысы: {amount}",
        "ru": "Компенсация страховщика без вины: {amount}",
        "en": "No-fault compensation by the insurer: {amount}",
    },
    "transferred": {
        "kk": "Іс {number} нөмірімен қайта сараланды",
        "ru": "Дело переквалифицировано под номером {number}",
        "en": "The case is requalified as {number}",
    },
    "recommendation": {
        "kk": "Жұмыс берушіге ұсыныс: {text}",
        "ru": "Рекомендация работодателю: {text}",
        "en": "Recommendation to the employer: {text}",
    },
    "appeal": {
        "kk": "Шешімге {deadline} дейін (қоса алғанда) {region} облыстық сотының апелляциялық сот алқасына осы сот арқылы шағым берілуі мүмкін.",
        "ru": "Решение может быть обжаловано до {deadline} включительно в апелляционную судебную коллегию областного суда ({region}) через суд, вынесший решение.",
        "en": "This judgment may be appealed until {deadline} inclusive to the appellate judicial collegium of the regional court ({region}), through this court.",
    },
    "signature": {"kk": "Судья ____________ {name}", "ru": "Судья ____________ {name}", "en": "Judge ____________ {name}"},
    "footer": {
        "kk": "Medcourt іс журналынан жасалған: жазба {entry}",
        "ru": "Составлено из реестра Medcourt: запись {entry}",
        "en": "Rendered from the Medcourt docket: entry {entry}",
    },
    "none": {"kk": "жоқ", "ru": "нет", "en": "none"},
    "tenge": {"kk": "теңге", "ru": "тенге", "en": "tenge"},
}
