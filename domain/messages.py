"""The court's refusals in its three languages: Kazakh, Russian and English.

Every rule refusal (``domain.errors``) carries a stable ``code`` and its parameters; this
catalog turns them into a sentence in the reader's language. Pages (the user's language),
the API (``Accept-Language``) and the command line (``MEDCOURT_LANG``, then ``LANG``; English
when neither names kk or ru) all render through ``render``, so a refusal reads the same
wherever it is met. The catalog is plain Python rather than gettext so that the domain
stays free of the web's translation machinery.

Parameters named in ``TERM_PARAMS`` are words of the court's vocabulary (a track, a harm,
a finding...) and are themselves translated; a list of them is joined with commas.
"""

from __future__ import annotations

from typing import Any

LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "en"

# The vocabulary words a message may name, in Russian and Kazakh (English: the word itself).
TERMS: dict[str, dict[str, str]] = {
    # tracks
    "administrative": {"ru": "административное", "kk": "әкімшілік"},
    "civil": {"ru": "гражданское", "kk": "азаматтық"},
    "criminal": {"ru": "уголовное", "kk": "қылмыстық"},
    # harm severities
    "none": {"ru": "без вреда", "kk": "зиянсыз"},
    "minor": {"ru": "лёгкий", "kk": "жеңіл"},
    "moderate": {"ru": "средней тяжести", "kk": "орташа ауырлықтағы"},
    "serious": {"ru": "тяжкий", "kk": "ауыр"},
    "death": {"ru": "смерть", "kk": "өлім"},
    # findings
    "incident": {"ru": "несчастный случай", "kk": "оқыс оқиға"},
    "medical_error": {"ru": "врачебная ошибка", "kk": "дәрігерлік қате"},
    "malpractice": {"ru": "врачебная небрежность", "kk": "кәсіби немқұрайлылық"},
    "no_causation": {"ru": "нет причинной связи", "kk": "себептік байланыс жоқ"},
    "unfounded": {"ru": "не доказано", "kk": "дәлелденбеген"},
    # dispositions
    "liability_found": {"ru": "ответственность установлена", "kk": "жауапкершілік анықталды"},
    "no_liability": {"ru": "ответственность не установлена", "kk": "жауапкершілік анықталмады"},
    "settled": {"ru": "мировое соглашение", "kk": "бітімгершілік келісім"},
    "withdrawn": {"ru": "отзыв", "kk": "кері қайтарып алу"},
    "terminated": {"ru": "прекращение", "kk": "тоқтату"},
    "transferred": {"ru": "передача", "kk": "беру"},
    # sanctions
    "fine": {"ru": "штраф", "kk": "айыппұл"},
    "imprisonment": {"ru": "лишение свободы", "kk": "бас бостандығынан айыру"},
    "certificate_withdrawal": {"ru": "лишение сертификата", "kk": "сертификаттан айыру"},
    "licence_suspension": {"ru": "приостановление лицензии", "kk": "лицензияны тоқтата тұру"},
    "licence_revocation": {"ru": "отзыв лицензии", "kk": "лицензиядан айыру"},
    # compensation heads
    "real_damage": {"ru": "реальный ущерб", "kk": "нақты залал"},
    "lost_profit": {"ru": "упущенная выгода", "kk": "айырылған пайда"},
    "moral_harm": {"ru": "моральный вред", "kk": "моральдық зиян"},
    # case statuses
    "pending": {"ru": "на рассмотрении", "kk": "қаралуда"},
    "decided": {"ru": "решено", "kk": "шешілді"},
    "appealed": {"ru": "обжаловано", "kk": "шағымданылды"},
    "in_force": {"ru": "вступило в силу", "kk": "заңды күшіне енді"},
    # specialties
    "surgery": {"ru": "хирургия", "kk": "хирургия"},
    "obstetrics_gynecology": {"ru": "акушерство и гинекология", "kk": "акушерлік және гинекология"},
    "anesthesiology": {"ru": "анестезиология", "kk": "анестезиология"},
    "pediatrics": {"ru": "педиатрия", "kk": "педиатрия"},
    "therapy": {"ru": "терапия", "kk": "терапия"},
    "cardiology": {"ru": "кардиология", "kk": "кардиология"},
    "oncology": {"ru": "онкология", "kk": "онкология"},
    "traumatology": {"ru": "травматология", "kk": "травматология"},
    "dentistry": {"ru": "стоматология", "kk": "стоматология"},
    "emergency_medicine": {"ru": "неотложная медицина", "kk": "шұғыл медицина"},
    "neurology": {"ru": "неврология", "kk": "неврология"},
    "ophthalmology": {"ru": "офтальмология", "kk": "офтальмология"},
    "forensic_medicine": {"ru": "судебная медицина", "kk": "сот медицинасы"},
    # actions (R14): what a role may or may not do
    "file_case": {"ru": "зарегистрировать дело", "kk": "істі тіркеу"},
    "file_document": {"ru": "подать документ", "kk": "құжат тапсыру"},
    "correct_entry": {"ru": "исправить запись", "kk": "жазбаны түзету"},
    "assign_judge": {"ru": "назначить судью", "kk": "судьяны тағайындау"},
    "recuse_judge": {"ru": "отвести судью", "kk": "судьяны істен шеттету"},
    "order_examination": {"ru": "назначить экспертизу", "kk": "сараптама тағайындау"},
    "submit_expert_report": {"ru": "приобщить заключение эксперта", "kk": "сарапшы қорытындысын қосу"},
    "withdraw_examination": {"ru": "отменить экспертизу", "kk": "сараптаманы кері қайтару"},
    "schedule_hearing": {"ru": "назначить заседание", "kk": "отырысты тағайындау"},
    "reschedule_hearing": {"ru": "перенести заседание", "kk": "отырысты ауыстыру"},
    "hold_hearing": {"ru": "провести заседание", "kk": "отырысты өткізу"},
    "cancel_hearing": {"ru": "отменить заседание", "kk": "отырысты болдырмау"},
    "refer_to_mediation": {"ru": "направить на медиацию", "kk": "медиацияға жіберу"},
    "conclude_mediation": {"ru": "завершить медиацию", "kk": "медиацияны аяқтау"},
    "issue_ruling": {"ru": "вынести решение", "kk": "шешім шығару"},
    "file_appeal": {"ru": "подать апелляцию", "kk": "апелляция беру"},
    "decide_appeal": {"ru": "рассмотреть апелляцию", "kk": "апелляцияны шешу"},
    "enter_into_force": {"ru": "ввести решение в силу", "kk": "шешімді заңды күшіне енгізу"},
    "reopen_case": {"ru": "возобновить дело", "kk": "істі қайта ашу"},
    "seal_case": {"ru": "ограничить доступ к делу", "kk": "іске қолжетімділікті шектеу"},
    "unseal_case": {"ru": "снять ограничение доступа к делу", "kk": "іске қолжетімділік шектеуін алу"},
    "register_judge": {"ru": "зарегистрировать судью", "kk": "судьяны тіркеу"},
    "certify_judge": {"ru": "подтвердить сертификацию судьи", "kk": "судьяның сертификатын растау"},
    "retire_judge": {"ru": "отметить отставку судьи", "kk": "судьяның отставкасын белгілеу"},
    "register_expert": {"ru": "зарегистрировать эксперта", "kk": "сарапшыны тіркеу"},
    "declare_affiliation": {"ru": "заявить аффилированность эксперта", "kk": "сарапшының үлестестігін мәлімдеу"},
    "register_mediator": {"ru": "зарегистрировать медиатора", "kk": "медиаторды тіркеу"},
    "adopt_rulebook_version": {"ru": "принять редакцию свода правил", "kk": "ережелер жинағының редакциясын қабылдау"},
    # roles
    "clerk": {"ru": "секретарь суда", "kk": "сот хатшысы"},
    "judge": {"ru": "судья", "kk": "судья"},
    "analyst": {"ru": "аналитик", "kk": "талдаушы"},
    "admin": {"ru": "администратор", "kk": "әкімші"},
    "system": {"ru": "система", "kk": "жүйе"},
    # the dates of a case (R15)
    "incident_date": {"en": "incident date", "ru": "дата происшествия", "kk": "оқиға күні"},
    "received_on": {"en": "date of receipt", "ru": "дата поступления", "kk": "түскен күні"},
    "document_received_on": {"en": "date a document was received", "ru": "дата поступления документа", "kk": "құжаттың түскен күні"},
    "examination_ordered_on": {"en": "date an examination was ordered", "ru": "дата назначения экспертизы", "kk": "сараптама тағайындалған күн"},
    "report_received_on": {"en": "date a report was received", "ru": "дата поступления заключения", "kk": "қорытындының түскен күні"},
    "mediation_referred_on": {"en": "date of referral to mediation", "ru": "дата направления на медиацию", "kk": "медиацияға жіберілген күн"},
    "mediation_concluded_on": {"en": "date a mediation concluded", "ru": "дата завершения медиации", "kk": "медиацияның аяқталған күні"},
    "decided_on": {"en": "date of the ruling", "ru": "дата решения", "kk": "шешім күні"},
    "appeal_filed_on": {"en": "date an appeal was filed", "ru": "дата подачи жалобы", "kk": "шағым берілген күн"},
    "reopened_on": {"en": "date of reopening", "ru": "дата возобновления", "kk": "қайта қаралған күн"},
    # an open-ended period
    "present": {"ru": "настоящее время", "kk": "қазіргі уақыт"},
}

# Parameters whose values are vocabulary words (translated through TERMS).
TERM_PARAMS = frozenset({
    "track", "harm", "allowed_harms", "allowed_tracks", "finding", "disposition", "kind", "allowed_kinds",
    "head", "status", "specialty", "role", "allowed_roles", "target_track", "what", "other", "valid_to", "action",
})


def _m(en: str, ru: str, kk: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "kk": kk}


# code -> {language: format string}. Codes are stable: tests, the API and docs/rules.md name them.
CATALOG: dict[str, dict[str, str]] = {
    # R1 --------------------------------------------------------------------------------------------
    "R1.track_harm_mismatch": _m(
        "{A_track} case cannot be about {harm} harm: {track} cases hear {allowed_harms} harm; {harm} harm belongs in {a_allowed_tracks} case",
        "Дело категории «{track}» не может касаться вреда «{harm}»: такие дела рассматривают вред «{allowed_harms}»; вред «{harm}» относится к категории «{allowed_tracks}»",
        "«{track}» санатындағы іс «{harm}» зиянына қатысты бола алмайды: мұндай істер «{allowed_harms}» зиянын қарайды; «{harm}» зияны «{allowed_tracks}» санатына жатады",
    ),
    # R2 --------------------------------------------------------------------------------------------
    "R2.criminal_liability_individuals_only": _m(
        "Criminal liability applies only to individuals: '{name}' is an organization",
        "Уголовная ответственность применяется только к физическим лицам: «{name}» — организация",
        "Қылмыстық жауапкершілік тек жеке тұлғаларға қолданылады: «{name}» — ұйым",
    ),
    "R2.certificate_specialists_only": _m(
        "Only a specialist's certificate can be withdrawn: '{name}' is an organization",
        "Лишить сертификата можно только специалиста: «{name}» — организация",
        "Сертификаттан тек маманды айыруға болады: «{name}» — ұйым",
    ),
    "R2.licence_organizations_only": _m(
        "Licence sanctions apply only to organizations: '{name}' is a specialist",
        "Санкции в отношении лицензии применяются только к организациям: «{name}» — специалист",
        "Лицензияға қатысты санкциялар тек ұйымдарға қолданылады: «{name}» — маман",
    ),
    "R2.criminal_case_needs_specialist": _m(
        "A criminal case names at least one specialist (an individual) as respondent; organizations alone cannot be prosecuted",
        "Уголовное дело должно называть хотя бы одного специалиста (физическое лицо) ответчиком; одни организации не могут быть привлечены к уголовной ответственности",
        "Қылмыстық іс кемінде бір маманды (жеке тұлғаны) жауапкер ретінде көрсетуі тиіс; тек ұйымдарды қылмыстық жауапқа тартуға болмайды",
    ),
    # R3 --------------------------------------------------------------------------------------------
    "R3.liability_needs_malpractice": _m(
        "Liability can only be found on a finding of malpractice; the finding is '{finding}'. An incident or a medical error does not make a respondent liable",
        "Ответственность устанавливается только при выводе о врачебной небрежности; вывод — «{finding}». Несчастный случай или врачебная ошибка не влекут ответственности",
        "Жауапкершілік тек кәсіби немқұрайлылық анықталғанда белгіленеді; қорытынды — «{finding}». Оқыс оқиға немесе дәрігерлік қате жауапкершілікке әкелмейді",
    ),
    "R3.liability_only_when_found": _m(
        "Only a ruling finding liability names liable respondents or imposes sanctions",
        "Только решение об установлении ответственности называет ответственных ответчиков и назначает санкции",
        "Тек жауапкершілік анықталған шешім ғана жауапты жауапкерлерді атайды және санкция тағайындайды",
    ),
    "R3.compensation_needs_liability": _m(
        "Compensation from a respondent requires a finding of liability; no-fault compensation goes under 'insurer compensation'",
        "Возмещение с ответчика требует установления ответственности; возмещение без вины указывается как «возмещение страховщика»",
        "Жауапкерден өтемақы өндіру жауапкершілік анықталуын талап етеді; кінәсіз өтемақы «сақтандырушы өтемақысы» ретінде көрсетіледі",
    ),
    "R3.insurer_civil_only": _m(
        "No-fault insurer compensation is awarded only in a civil case, not in {a_track} case",
        "Возмещение страховщика без вины присуждается только по гражданскому делу, а не по делу категории «{track}»",
        "Сақтандырушының кінәсіз өтемақысы тек азаматтық іс бойынша тағайындалады, «{track}» санатындағы іс бойынша емес",
    ),
    "R3.insurer_not_with_disposition": _m(
        "No-fault insurer compensation cannot accompany a '{disposition}' ruling: only a merits ruling or an approved settlement awards it",
        "Возмещение страховщика не может сопровождать решение «{disposition}»: его присуждает только решение по существу или утверждённое мировое соглашение",
        "Сақтандырушы өтемақысы «{disposition}» шешімімен бірге берілмейді: оны тек мәні бойынша шешім немесе бекітілген бітімгершілік келісім тағайындайды",
    ),
    "R3.insurer_needs_no_fault_finding": _m(
        "No-fault insurer compensation needs a finding of incident or medical error with at least minor harm found; the finding is '{finding}' and the harm found '{harm}'",
        "Возмещение страховщика без вины требует вывода «несчастный случай» или «врачебная ошибка» и вреда не ниже лёгкого; вывод — «{finding}», вред — «{harm}»",
        "Сақтандырушының кінәсіз өтемақысы «оқыс оқиға» немесе «дәрігерлік қате» қорытындысын және кемінде жеңіл зиянды талап етеді; қорытынды — «{finding}», зиян — «{harm}»",
    ),
    # R4 --------------------------------------------------------------------------------------------
    "R4.sanction_not_for_track": _m(
        "{A_track} case cannot impose {kind}; it imposes: {allowed_kinds}",
        "По делу категории «{track}» нельзя назначить «{kind}»; допустимо: {allowed_kinds}",
        "«{track}» санатындағы іс бойынша «{kind}» тағайындауға болмайды; рұқсат етілгені: {allowed_kinds}",
    ),
    "R4.no_sanctions_on_track": _m(
        "{A_track} case imposes no sanctions (compensation only)",
        "По делу категории «{track}» санкции не назначаются (только возмещение)",
        "«{track}» санатындағы іс бойынша санкция тағайындалмайды (тек өтемақы)",
    ),
    "R4.fine_needs_amount": _m(
        "A fine needs an amount in MCI greater than zero",
        "Штраф должен быть указан в МРП и быть больше нуля",
        "Айыппұл АЕК-пен көрсетіліп, нөлден артық болуы тиіс",
    ),
    "R4.fine_over_cap": _m(
        "Fines on '{name}' add up to {amount} MCI ({kzt} KZT), above the cap of {cap} MCI for {a_track} case in force on the incident date {incident_date} (rulebook of {rulebook})",
        "Штрафы в отношении «{name}» составляют {amount} МРП ({kzt} тенге), что превышает предел в {cap} МРП для дела категории «{track}», действовавший на дату происшествия {incident_date} (свод правил от {rulebook})",
        "«{name}» бойынша айыппұлдар жиыны {amount} АЕК ({kzt} теңге), бұл оқиға күні {incident_date} күшінде болған «{track}» санатындағы іс үшін {cap} АЕК шегінен асады (ережелер жинағы {rulebook})",
    ),
    "R4.term_needs_months": _m(
        "{kind_cap} needs a number of months",
        "Для меры «{kind}» нужно указать число месяцев",
        "«{kind}» шарасы үшін айлар санын көрсету қажет",
    ),
    "R4.term_over_cap": _m(
        "{kind_cap} of '{name}' adds up to {months} months, above the cap of {cap} months in force on the incident date {incident_date} (rulebook of {rulebook})",
        "Мера «{kind}» в отношении «{name}» составляет в сумме {months} мес., что превышает предел в {cap} мес., действовавший на дату происшествия {incident_date} (свод правил от {rulebook})",
        "«{name}» бойынша «{kind}» шарасы барлығы {months} ай, бұл оқиға күні {incident_date} күшінде болған {cap} ай шегінен асады (ережелер жинағы {rulebook})",
    ),
    "R4.liability_needs_sanction": _m(
        "{A_track} finding of liability needs at least one sanction",
        "Установление ответственности по делу категории «{track}» требует хотя бы одной санкции",
        "«{track}» санатындағы іс бойынша жауапкершілік анықталса, кемінде бір санкция қажет",
    ),
    "R4.no_compensation_on_track": _m(
        "{A_track} case does not award compensation",
        "По делу категории «{track}» возмещение не присуждается",
        "«{track}» санатындағы іс бойынша өтемақы тағайындалмайды",
    ),
    # R5 --------------------------------------------------------------------------------------------
    "R5.no_judge": _m(
        "No judge is assigned to this case: assign a certified judge first",
        "Судья по делу не назначен: сначала назначьте сертифицированного судью",
        "Іске судья тағайындалмаған: алдымен сертификатталған судьяны тағайындаңыз",
    ),
    "R5.not_the_assigned_judge": _m(
        "Judge {judge} is not the judge assigned to this case",
        "Судья {judge} не является судьёй, назначенным по этому делу",
        "{judge} судья осы іске тағайындалған судья емес",
    ),
    "R5.judge_recused": _m(
        "Judge {judge} has recused from this case",
        "Судья {judge} взял самоотвод по этому делу",
        "{judge} судья осы істен өздігінен бас тартты",
    ),
    "R5.judge_not_certified": _m(
        "Judge {judge} is not certified in medical law on {day}: only certified judges rule in this court",
        "Судья {judge} не имеет сертификата по медицинскому праву на {day}: в этом суде решения выносят только сертифицированные судьи",
        "{judge} судьяның {day} күні медициналық құқық бойынша сертификаты жоқ: бұл сотта тек сертификатталған судьялар шешім шығарады",
    ),
    "R5.judge_of_other_court": _m(
        "Judge {judge} sits in {judge_court}, not in this court ({court})",
        "Судья {judge} работает в суде {judge_court}, а не в этом суде ({court})",
        "{judge} судья {judge_court} сотында қызмет етеді, бұл сотта ({court}) емес",
    ),
    "R5.judge_not_certified_today": _m(
        "Judge {judge} is not certified in medical law today; only certified judges hear these cases",
        "Судья {judge} сегодня не имеет сертификата по медицинскому праву; такие дела рассматривают только сертифицированные судьи",
        "{judge} судьяның бүгін медициналық құқық бойынша сертификаты жоқ; мұндай істерді тек сертификатталған судьялар қарайды",
    ),
    "R5.examination_pending": _m(
        "Expert examination {examinations} is still pending: record its report or withdraw it before ruling on the merits",
        "Экспертиза {examinations} ещё не завершена: внесите заключение или отзовите её до решения по существу",
        "{examinations} сараптамасы әлі аяқталмаған: мәні бойынша шешім шығармас бұрын қорытындыны енгізіңіз немесе оны кері қайтарыңыз",
    ),
    "R5.no_expert_report": _m(
        "A ruling on the merits needs at least one submitted expert report; none has been recorded",
        "Решение по существу требует хотя бы одного заключения эксперта; ни одного не внесено",
        "Мәні бойынша шешім кемінде бір сарапшы қорытындысын талап етеді; бірде-біреуі енгізілмеген",
    ),
    # R6 --------------------------------------------------------------------------------------------
    "R6.expert_is_party": _m(
        "Expert {expert} cannot examine this case: they are a party to it",
        "Эксперт {expert} не может проводить экспертизу по этому делу: он является его участником",
        "{expert} сарапшы бұл іс бойынша сараптама жүргізе алмайды: ол істің тарапы",
    ),
    "R6.expert_affiliated": _m(
        "Expert {expert} is affiliated with respondent '{respondent}' (BIN {bin}, {valid_from} to {valid_to}), overlapping the incident date {incident_date} or today",
        "Эксперт {expert} связан с ответчиком «{respondent}» (БИН {bin}, с {valid_from} по {valid_to}), что захватывает дату происшествия {incident_date} или сегодняшний день",
        "{expert} сарапшы «{respondent}» жауапкерімен байланысты (БСН {bin}, {valid_from} – {valid_to}), бұл оқиға күніне {incident_date} немесе бүгінгі күнге сәйкес келеді",
    ),
    # R7 --------------------------------------------------------------------------------------------
    "R7.hearing_needs_judge": _m(
        "Assign a judge before scheduling a hearing",
        "Назначьте судью, прежде чем назначать заседание",
        "Отырысты белгілемес бұрын судьяны тағайындаңыз",
    ),
    "R7.hearing_in_past": _m(
        "A hearing must be scheduled to start in the future",
        "Заседание должно начинаться в будущем",
        "Отырыс болашақта басталуы тиіс",
    ),
    "R7.judge_booked": _m(
        "Judge {judge} is already booked from {starts_at} for {minutes} minutes (case {case}, hearing {hearing})",
        "Судья {judge} уже занят с {starts_at} на {minutes} мин. (дело {case}, заседание {hearing})",
        "{judge} судья {starts_at} бастап {minutes} минутқа бос емес (іс {case}, отырыс {hearing})",
    ),
    "R7.courtroom_booked": _m(
        "Courtroom {courtroom} is already booked from {starts_at} for {minutes} minutes (case {case}, hearing {hearing})",
        "Зал {courtroom} уже занят с {starts_at} на {minutes} мин. (дело {case}, заседание {hearing})",
        "{courtroom} залы {starts_at} бастап {minutes} минутқа бос емес (іс {case}, отырыс {hearing})",
    ),
    "R7.judge_booked_elsewhere": _m(
        "Judge {judge} is already booked from {starts_at} for {minutes} minutes in another hearing",
        "Судья {judge} уже занят с {starts_at} на {minutes} мин. на другом заседании",
        "{judge} судья {starts_at} бастап {minutes} минутқа басқа отырыста бос емес",
    ),
    "R7.courtroom_booked_elsewhere": _m(
        "Courtroom {courtroom} is already booked from {starts_at} for {minutes} minutes for another hearing",
        "Зал {courtroom} уже занят с {starts_at} на {minutes} мин. для другого заседания",
        "{courtroom} залы {starts_at} бастап {minutes} минутқа басқа отырысқа бос емес",
    ),
    "R7.reassign_with_hearings": _m(
        "Judge {judge} has hearings scheduled in this case: cancel them or record the judge's recusal before assigning another judge",
        "У судьи {judge} назначены заседания по этому делу: отмените их или оформите самоотвод, прежде чем назначать другого судью",
        "{judge} судьяның осы іс бойынша отырыстары белгіленген: басқа судьяны тағайындамас бұрын оларды болдырмаңыз немесе өздігінен бас тартуды тіркеңіз",
    ),
    # R8 --------------------------------------------------------------------------------------------
    "R8.case_closed": _m(
        "Cannot {action}: the case was decided on {decided_on} ({status}); it accepts only appeals, sealing, corrections and documents until a remand reopens it",
        "Действие недоступно: дело решено {decided_on} ({status}); до возвращения на новое рассмотрение принимаются только жалобы, засекречивание, исправления и документы",
        "Әрекет қолжетімсіз: іс {decided_on} шешілді ({status}); жаңа қарауға қайтарылғанға дейін тек шағымдар, құпиялау, түзетулер мен құжаттар қабылданады",
    ),
    "R8.no_ruling_to_appeal": _m(
        "There is no ruling to appeal",
        "Нет решения, которое можно обжаловать",
        "Шағымдануға болатын шешім жоқ",
    ),
    "R8.appeal_pending": _m(
        "An appeal against this ruling is already pending",
        "Жалоба на это решение уже рассматривается",
        "Бұл шешімге шағым қаралуда",
    ),
    "R8.ruling_in_force": _m(
        "The ruling entered into legal force on {in_force_on}; it can no longer be appealed",
        "Решение вступило в законную силу {in_force_on}; обжаловать его больше нельзя",
        "Шешім {in_force_on} заңды күшіне енді; оған енді шағымдануға болмайды",
    ),
    "R8.appeal_before_ruling": _m(
        "An appeal cannot be filed before the ruling ({decided_on})",
        "Жалоба не может быть подана до вынесения решения ({decided_on})",
        "Шағым шешім шыққанға дейін ({decided_on}) берілмейді",
    ),
    "R8.appeal_too_late": _m(
        "The appeal window for this {track} ruling of {decided_on} closed on {deadline}; an appeal filed on {filed_on} is too late",
        "Срок обжалования решения от {decided_on} по делу категории «{track}» истёк {deadline}; жалоба от {filed_on} подана с опозданием",
        "«{track}» санатындағы іс бойынша {decided_on} шешіміне шағымдану мерзімі {deadline} аяқталды; {filed_on} берілген шағым кешіккен",
    ),
    # R9 --------------------------------------------------------------------------------------------
    "R9.compensation_above_claim": _m(
        "Compensation for {head} ({amount} KZT) exceeds the amount claimed for it ({claimed} KZT)",
        "Возмещение по статье «{head}» ({amount} тенге) превышает заявленную сумму ({claimed} тенге)",
        "«{head}» бабы бойынша өтемақы ({amount} теңге) талап етілген сомадан ({claimed} теңге) асады",
    ),
    # R10 -------------------------------------------------------------------------------------------
    "R10.mediation_administrative": _m(
        "Administrative cases cannot be referred to mediation",
        "Административные дела не передаются на медиацию",
        "Әкімшілік істер медиацияға жіберілмейді",
    ),
    "R10.mediation_already_open": _m(
        "A mediation is already open in this case; conclude it first",
        "По делу уже идёт медиация; сначала завершите её",
        "Іс бойынша медиация жүріп жатыр; алдымен оны аяқтаңыз",
    ),
    "R10.mediation_still_open": _m(
        "A mediation is still open: record its outcome before the ruling",
        "Медиация ещё не завершена: внесите её итог до решения",
        "Медиация әлі аяқталмаған: шешімге дейін оның нәтижесін енгізіңіз",
    ),
    "R10.settled_civil_only": _m(
        "Only a civil case ends settled; {a_track} case cannot",
        "Мировым соглашением завершается только гражданское дело; дело категории «{track}» — нет",
        "Бітімгершілік келісіммен тек азаматтық іс аяқталады; «{track}» санатындағы іс аяқталмайды",
    ),
    "R10.terminated_criminal_only": _m(
        "Only a criminal case ends terminated by reconciliation; {a_track} case cannot",
        "Прекращением за примирением завершается только уголовное дело; дело категории «{track}» — нет",
        "Татуласуға байланысты тоқтатумен тек қылмыстық іс аяқталады; «{track}» санатындағы іс аяқталмайды",
    ),
    # R11 -------------------------------------------------------------------------------------------
    "R11.not_on_docket": _m(
        "No case {docket_number} is on the docket",
        "Дела {docket_number} в реестре нет",
        "Тізілімде {docket_number} ісі жоқ",
    ),
    # R12 -------------------------------------------------------------------------------------------
    "R12.not_money": _m(
        "'{value}' is not an amount of money",
        "«{value}» — не денежная сумма",
        "«{value}» — ақша сомасы емес",
    ),
    "R12.negative_money": _m(
        "An amount of money cannot be negative ({value} KZT)",
        "Денежная сумма не может быть отрицательной ({value} тенге)",
        "Ақша сомасы теріс бола алмайды ({value} теңге)",
    ),
    "R12.money_too_large": _m(
        "{value} KZT is beyond any amount this court handles (at most {limit} KZT)",
        "{value} тенге превышает любую сумму, которую рассматривает этот суд (не более {limit} тенге)",
        "{value} теңге бұл сот қарайтын кез келген сомадан асады (ең көбі {limit} теңге)",
    ),
    "R12.money_fraction_of_tiyn": _m(
        "Amounts are in KZT with at most two decimal places (tiyn): {value}",
        "Суммы указываются в тенге не более чем с двумя знаками после запятой (тиын): {value}",
        "Сомалар теңгемен үтірден кейін ең көбі екі таңбамен (тиын) көрсетіледі: {value}",
    ),
    # R14 -------------------------------------------------------------------------------------------
    "R14.role_not_permitted": _m(
        "A user acting as {role} may not {action} (allowed: {allowed_roles})",
        "Пользователь с ролью «{role}» не может выполнить действие «{action}» (допустимо: {allowed_roles})",
        "«{role}» рөліндегі пайдаланушы «{action}» әрекетін орындай алмайды (рұқсат етілгені: {allowed_roles})",
    ),
    "R14.clerk_other_court": _m(
        "A clerk of court {actor_court} acts only on that court's cases; this case is in court {court}",
        "Секретарь суда {actor_court} работает только с делами своего суда; это дело в суде {court}",
        "{actor_court} сотының хатшысы тек өз сотының істерімен жұмыс істейді; бұл іс {court} сотында",
    ),
    "R14.clerk_without_court": _m(
        "A clerk acts only for their own court, and this account names none",
        "Секретарь работает только в своём суде, а в этой учётной записи суд не указан",
        "Хатшы тек өз сотында жұмыс істейді, ал бұл есептік жазбада сот көрсетілмеген",
    ),
    "R14.judge_not_assigned": _m(
        "A judge acts only on the cases assigned to them; {docket_number} is not assigned to this judge",
        "Судья действует только по назначенным ему делам; дело {docket_number} этому судье не назначено",
        "Судья тек өзіне тағайындалған істер бойынша әрекет етеді; {docket_number} ісі бұл судьяға тағайындалмаған",
    ),
    # R15 -------------------------------------------------------------------------------------------
    "R15.correction_out_of_order": _m(
        "The corrected {what} ({value}) cannot be after the {other} ({other_day}): the dates of a case stay in order",
        "Исправленная дата «{what}» ({value}) оказалась бы позже даты «{other}» ({other_day}): даты записей дела должны идти по порядку",
        "Түзетілген «{what}» ({value}) «{other}» ({other_day}) күнінен кейін болып қалады: іс жазбаларының күндері ретімен жүруі тиіс",
    ),
    "R15.correction_before": _m(
        "The corrected {what} ({value}) cannot be before the {other} ({other_day}): the dates of a case stay in order",
        "Исправленная дата «{what}» ({value}) оказалась бы раньше даты «{other}» ({other_day}): даты записей дела должны идти по порядку",
        "Түзетілген «{what}» ({value}) «{other}» ({other_day}) күнінен бұрын болып қалады: іс жазбаларының күндері ретімен жүруі тиіс",
    ),
    "R15.correction_outside_docket_year": _m(
        "The corrected date of receipt ({value}) must stay in the docket number's year {year}",
        "Исправленная дата поступления ({value}) должна оставаться в году номера дела ({year})",
        "Түзетілген түскен күні ({value}) іс нөмірінің жылында ({year}) қалуы тиіс",
    ),
    # R16 -------------------------------------------------------------------------------------------
    "R16.expert_specialty": _m(
        "Expert {expert} cannot examine {a_specialty} case: their specialties are {specialties}; an expert lists the case's specialty or forensic medicine",
        "Эксперт {expert} не может проводить экспертизу по делу в области «{specialty}»: его специальности — {specialties}; эксперт должен иметь специальность дела или судебную медицину",
        "{expert} сарапшы «{specialty}» саласындағы іс бойынша сараптама жүргізе алмайды: оның мамандықтары — {specialties}; сарапшының іс мамандығы немесе сот медицинасы болуы тиіс",
    ),
}

# Parameters that hold lists of vocabulary words or names.
LIST_PARAMS = frozenset({"allowed_harms", "allowed_tracks", "allowed_kinds", "allowed_roles", "specialties", "examinations"})


def language_of(value: str | None) -> str:
    """The catalog language a locale or Accept-Language tag names (``ru_RU.UTF-8`` -> ``ru``); English otherwise."""
    tag = (value or "").strip().lower().replace("-", "_")[:2]
    return tag if tag in LANGUAGES else DEFAULT_LANGUAGE


# Lists of alternatives ("belongs in an administrative or civil case") rather than enumerations.
ALTERNATIVES = frozenset({"allowed_tracks"})
OR = {"en": " or ", "ru": " или ", "kk": " немесе "}


def term(word: str, language: str) -> str:
    """One vocabulary word in ``language`` (English: the word with spaces)."""
    if word in TERMS and language in TERMS[word]:
        return TERMS[word][language]
    return word.replace("_", " ")


def _shown(name: str, value: Any, language: str) -> str:
    if name in LIST_PARAMS and isinstance(value, (list, tuple)):
        joiner = OR[language] if name in ALTERNATIVES else ", "
        return joiner.join(term(str(v), language) for v in value) or "—"
    if name in TERM_PARAMS and isinstance(value, str):
        return term(value, language)
    return str(value)


def _article(phrase: str) -> str:
    """English needs "an administrative" but "a civil"; the other languages have no articles."""
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


def _values(params: dict[str, Any], language: str) -> dict[str, str]:
    """Each parameter as shown, plus ``a_<name>`` (with its English article) and ``<name>_cap``
    (capitalized), which the English sentences use."""
    values: dict[str, str] = {}
    for name, value in params.items():
        shown = _shown(name, value, language)
        values[name] = shown
        values[f"a_{name}"] = _article(shown) if language == "en" else shown
        values[f"{name}_cap"] = shown[:1].upper() + shown[1:]
        values[f"A_{name}"] = values[f"a_{name}"][:1].upper() + values[f"a_{name}"][1:]
    return values


def render(code: str, params: dict[str, Any], language: str = DEFAULT_LANGUAGE) -> str:
    """The refusal ``code`` with its ``params`` in ``language`` (kk, ru or en)."""
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    template = CATALOG[code][language]
    return template.format(**_values(params, language))


def rule_of(code: str) -> str:
    """The rule a code belongs to (``R4.fine_over_cap`` -> ``R4``)."""
    return code.split(".", 1)[0]
