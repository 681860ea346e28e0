//! The employer's page in the six official languages of the United Nations: Arabic (written right
//! to left), Chinese, English, French, Russian and Spanish.
//!
//! The language comes from `?lang=` when given, else from `Accept-Language` (RFC 9110 §12.5.4:
//! the highest-weighted range we have, `q=0` excluded), else English.

/// A language the page is translated into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    /// العربية
    Arabic,
    /// 中文
    Chinese,
    /// English
    English,
    /// Français
    French,
    /// Русский
    Russian,
    /// Español
    Spanish,
}

impl Language {
    /// Every language, in the order of the switcher.
    pub const ALL: [Language; 6] = [
        Language::Arabic,
        Language::Chinese,
        Language::English,
        Language::French,
        Language::Russian,
        Language::Spanish,
    ];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Arabic => "ar",
            Language::Chinese => "zh",
            Language::English => "en",
            Language::French => "fr",
            Language::Russian => "ru",
            Language::Spanish => "es",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Arabic => "العربية",
            Language::Chinese => "中文",
            Language::English => "English",
            Language::French => "Français",
            Language::Russian => "Русский",
            Language::Spanish => "Español",
        }
    }

    /// `rtl` for Arabic, `ltr` for the others.
    pub fn direction(self) -> &'static str {
        if self == Language::Arabic {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The language of a tag: its primary subtag, case-insensitively (`zh-Hans-CN` is Chinese).
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        Language::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// The best language for an `Accept-Language` header, if it names one of ours.
    pub fn negotiate(accept_language: &str) -> Option<Language> {
        let mut best: Option<(f32, Language)> = None;
        for item in accept_language.split(',') {
            let mut parts = item.split(';');
            let range = parts.next().unwrap_or_default().trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(language) = Language::from_tag(range) {
                if best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, language));
                }
            }
        }
        best.map(|(_, l)| l)
    }

    /// The page's texts in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Language::Arabic => &AR,
            Language::Chinese => &ZH,
            Language::English => &EN,
            Language::French => &FR,
            Language::Russian => &RU,
            Language::Spanish => &ES,
        }
    }
}

/// Every text the page shows. Each field is a complete phrase; `{}` marks where a value goes.
#[derive(Debug)]
pub struct Texts {
    /// The page's title and heading.
    pub title: &'static str,
    /// Under the heading: what the page does.
    pub intro: &'static str,
    /// The skip link.
    pub skip_to_content: &'static str,
    /// The language switcher's label.
    pub languages: &'static str,
    /// Heading of the link form.
    pub by_link: &'static str,
    /// Label of the link field.
    pub link_label: &'static str,
    /// Heading of the upload form.
    pub by_file: &'static str,
    /// Label of the file field.
    pub file_label: &'static str,
    /// Hint under the file field.
    pub file_hint: &'static str,
    /// Label of the camera field.
    pub camera_label: &'static str,
    /// Hint under the camera field.
    pub camera_hint: &'static str,
    /// Heading of the paste form.
    pub by_paste: &'static str,
    /// Label of the paste box.
    pub paste_label: &'static str,
    /// The submit buttons.
    pub verify_button: &'static str,
    /// Heading of the result.
    pub result: &'static str,
    /// Verdict: verified.
    pub verified: &'static str,
    /// What "verified" means.
    pub verified_explained: &'static str,
    /// Verdict: not verified.
    pub not_verified: &'static str,
    /// What "not verified" means.
    pub not_verified_explained: &'static str,
    /// Verdict: could not be fully checked.
    pub indeterminate: &'static str,
    /// What that means.
    pub indeterminate_explained: &'static str,
    /// Summary row: the learner.
    pub learner: &'static str,
    /// The learner is not named.
    pub learner_unnamed: &'static str,
    /// Summary row: the achievement.
    pub achievement: &'static str,
    /// Summary row: its description.
    pub description: &'static str,
    /// Summary row: how it was earned.
    pub criteria: &'static str,
    /// Summary row: the issuer.
    pub issuer: &'static str,
    /// The issuer is on the trusted list, `{}` its listed name.
    pub issuer_trusted: &'static str,
    /// The issuer is not on the list.
    pub issuer_not_trusted: &'static str,
    /// No trusted list is configured.
    pub issuer_no_list: &'static str,
    /// Summary row: valid from.
    pub valid_from: &'static str,
    /// Summary row: valid until.
    pub valid_until: &'static str,
    /// No end date.
    pub no_end: &'static str,
    /// Heading of the checks list.
    pub details: &'static str,
    /// Check status words.
    pub status_valid: &'static str,
    /// Check failed.
    pub status_invalid: &'static str,
    /// Check could not be completed.
    pub status_indeterminate: &'static str,
    /// Check names, in the order of `CheckName`.
    pub check_parse: &'static str,
    /// The contexts check.
    pub check_context: &'static str,
    /// The schema check.
    pub check_schema: &'static str,
    /// The signature check.
    pub check_proof: &'static str,
    /// The issuer check.
    pub check_issuer: &'static str,
    /// The dates check.
    pub check_validity: &'static str,
    /// The revocation check.
    pub check_status: &'static str,
    /// The trusted-list check.
    pub check_trust: &'static str,
    /// The presentation check.
    pub check_presentation: &'static str,
    /// The technical messages below are in English.
    pub messages_in_english: &'static str,
    /// Nothing was given to verify.
    pub nothing_given: &'static str,
    /// The upload is not a credential, a badge or a QR code.
    pub unreadable: &'static str,
    /// The QR code photo has no readable code.
    pub no_qr_code: &'static str,
    /// The link could not be fetched; `{}` is the reason.
    pub fetch_failed: &'static str,
    /// Footer: privacy.
    pub privacy: &'static str,
}

/// English.
pub static EN: Texts = ENGLISH;

const ENGLISH: Texts = Texts {
    title: "Check a credential",
    intro: "Find out whether a certificate or badge is genuine, who issued it, to whom, and whether it is still valid.",
    skip_to_content: "Skip to the content",
    languages: "Languages",
    by_link: "By link",
    link_label: "Link to the credential (the address in its QR code)",
    by_file: "By file",
    file_label: "Credential or badge file (JSON, JWT, PNG or SVG badge, or a photo of a QR code)",
    file_hint: "The file is checked on this server and is not kept.",
    camera_label: "Scan a QR code with your camera",
    camera_hint: "On a phone, this opens the camera; take a photo of the QR code.",
    by_paste: "By pasting",
    paste_label: "Paste the credential (JSON or JWT)",
    verify_button: "Check",
    result: "Result",
    verified: "Verified: this credential is genuine",
    verified_explained: "The signature is valid, it was made by the issuer named below, it is within its validity dates, and it has not been revoked or suspended.",
    not_verified: "Not verified: do not rely on this credential",
    not_verified_explained: "At least one check failed. The details below say which, and why.",
    indeterminate: "Could not be fully checked",
    indeterminate_explained: "Nothing is wrong with it so far, but at least one check could not be completed, for example because the issuer's revocation list could not be reached. Try again later.",
    learner: "Awarded to",
    learner_unnamed: "Not named in the credential",
    achievement: "Achievement",
    description: "Description",
    criteria: "How it was earned",
    issuer: "Issued by",
    issuer_trusted: "On this verifier's list of trusted issuers as “{}”",
    issuer_not_trusted: "Not on this verifier's list of trusted issuers",
    issuer_no_list: "This verifier keeps no list of trusted issuers",
    valid_from: "Valid from",
    valid_until: "Valid until",
    no_end: "No end date",
    details: "What was checked",
    status_valid: "passed",
    status_invalid: "failed",
    status_indeterminate: "could not be checked",
    check_parse: "Readable credential",
    check_context: "Known vocabulary",
    check_schema: "Open Badges format",
    check_proof: "Signature",
    check_issuer: "Issuer",
    check_validity: "Dates",
    check_status: "Revocation and suspension",
    check_trust: "Trusted issuer",
    check_presentation: "Presentation",
    messages_in_english: "Technical details are given in English.",
    nothing_given: "Give a link, a file or pasted text to check.",
    unreadable: "This is not a credential, a baked badge or a QR code this page can read.",
    no_qr_code: "No QR code could be read in this image. Try a sharper, closer photo.",
    fetch_failed: "The credential could not be fetched from the link: {}",
    privacy: "This page loads nothing from other sites and keeps nothing you check.",
};

/// French.
pub static FR: Texts = Texts {
    title: "Vérifier une attestation",
    intro: "Vérifiez si un certificat ou un badge est authentique, qui l'a délivré, à qui, et s'il est toujours valide.",
    skip_to_content: "Aller au contenu",
    languages: "Langues",
    by_link: "Par lien",
    link_label: "Lien vers l'attestation (l'adresse contenue dans son code QR)",
    by_file: "Par fichier",
    file_label: "Fichier de l'attestation ou du badge (JSON, JWT, badge PNG ou SVG, ou photo d'un code QR)",
    file_hint: "Le fichier est vérifié sur ce serveur et n'est pas conservé.",
    camera_label: "Scanner un code QR avec votre appareil photo",
    camera_hint: "Sur un téléphone, cela ouvre l'appareil photo\u{a0}; prenez le code QR en photo.",
    by_paste: "Par copier-coller",
    paste_label: "Collez l'attestation (JSON ou JWT)",
    verify_button: "Vérifier",
    result: "Résultat",
    verified: "Vérifiée\u{a0}: cette attestation est authentique",
    verified_explained: "La signature est valide et émane de l'émetteur indiqué ci-dessous\u{a0}; l'attestation est dans sa période de validité et n'a été ni révoquée ni suspendue.",
    not_verified: "Non vérifiée\u{a0}: ne vous fiez pas à cette attestation",
    not_verified_explained: "Au moins une vérification a échoué. Le détail ci-dessous indique laquelle, et pourquoi.",
    indeterminate: "N'a pas pu être entièrement vérifiée",
    indeterminate_explained: "Rien d'anormal n'a été constaté jusqu'ici, mais au moins une vérification n'a pas pu aboutir, par exemple parce que la liste de révocation de l'émetteur était inaccessible. Réessayez plus tard.",
    learner: "Décernée à",
    learner_unnamed: "Nom non indiqué dans l'attestation",
    achievement: "Réalisation",
    description: "Description",
    criteria: "Conditions d'obtention",
    issuer: "Délivrée par",
    issuer_trusted: "Figure sur la liste des émetteurs de confiance de ce service de vérification sous le nom «\u{a0}{}\u{a0}»",
    issuer_not_trusted: "Ne figure pas sur la liste des émetteurs de confiance de ce service de vérification",
    issuer_no_list: "Ce service de vérification ne tient pas de liste d'émetteurs de confiance",
    valid_from: "Début de validité",
    valid_until: "Fin de validité",
    no_end: "Sans date de fin",
    details: "Ce qui a été vérifié",
    status_valid: "succès",
    status_invalid: "échec",
    status_indeterminate: "vérification impossible",
    check_parse: "Attestation lisible",
    check_context: "Vocabulaire reconnu",
    check_schema: "Format Open Badges",
    check_proof: "Signature",
    check_issuer: "Émetteur",
    check_validity: "Dates",
    check_status: "Révocation et suspension",
    check_trust: "Émetteur de confiance",
    check_presentation: "Présentation",
    messages_in_english: "Les détails techniques sont donnés en anglais.",
    nothing_given: "Indiquez un lien, un fichier ou un texte collé à vérifier.",
    unreadable: "Il ne s'agit ni d'une attestation, ni d'un badge à attestation intégrée, ni d'un code QR que cette page sait lire.",
    no_qr_code: "Aucun code QR n'a pu être lu dans cette image. Essayez avec une photo plus nette, prise de plus près.",
    fetch_failed: "L'attestation n'a pas pu être récupérée à partir du lien\u{a0}: {}",
    privacy: "Cette page ne charge rien depuis d'autres sites et ne conserve rien de ce que vous vérifiez.",
};

/// Spanish.
pub static ES: Texts = Texts {
    title: "Verificar una credencial",
    intro: "Compruebe si un certificado o una insignia es auténtico, quién lo emitió, a quién y si sigue siendo válido.",
    skip_to_content: "Ir al contenido",
    languages: "Idiomas",
    by_link: "Mediante enlace",
    link_label: "Enlace a la credencial (la dirección que figura en su código QR)",
    by_file: "Mediante archivo",
    file_label: "Archivo de la credencial o insignia (JSON, JWT, insignia PNG o SVG, o una foto de un código QR)",
    file_hint: "El archivo se comprueba en este servidor y no se conserva.",
    camera_label: "Escanear un código QR con la cámara",
    camera_hint: "En un teléfono, se abrirá la cámara; tome una foto del código QR.",
    by_paste: "Mediante texto pegado",
    paste_label: "Pegue la credencial (JSON o JWT)",
    verify_button: "Verificar",
    result: "Resultado",
    verified: "Verificada: esta credencial es auténtica",
    verified_explained: "La firma es válida y la realizó el emisor indicado abajo; la credencial está dentro de su período de validez y no ha sido revocada ni suspendida.",
    not_verified: "No verificada: no confíe en esta credencial",
    not_verified_explained: "Al menos una comprobación no se ha superado. Los detalles que figuran abajo indican cuál y por qué.",
    indeterminate: "No se ha podido verificar por completo",
    indeterminate_explained: "Hasta ahora no se ha detectado ningún problema, pero al menos una comprobación no pudo completarse, por ejemplo porque no se pudo acceder a la lista de revocación del emisor. Inténtelo de nuevo más tarde.",
    learner: "Otorgada a",
    learner_unnamed: "Nombre no indicado en la credencial",
    achievement: "Logro",
    description: "Descripción",
    criteria: "Cómo se obtuvo",
    issuer: "Emitida por",
    issuer_trusted: "Figura en la lista de emisores de confianza de este servicio de verificación como «{}»",
    issuer_not_trusted: "No figura en la lista de emisores de confianza de este servicio de verificación",
    issuer_no_list: "Este servicio de verificación no tiene una lista de emisores de confianza",
    valid_from: "Válida desde",
    valid_until: "Válida hasta",
    no_end: "Sin fecha de finalización",
    details: "Qué se ha comprobado",
    status_valid: "superada",
    status_invalid: "no superada",
    status_indeterminate: "no se pudo comprobar",
    check_parse: "Credencial legible",
    check_context: "Vocabulario conocido",
    check_schema: "Formato Open Badges",
    check_proof: "Firma",
    check_issuer: "Emisor",
    check_validity: "Fechas",
    check_status: "Revocación y suspensión",
    check_trust: "Emisor de confianza",
    check_presentation: "Presentación",
    messages_in_english: "Los detalles técnicos se ofrecen en inglés.",
    nothing_given: "Indique un enlace, un archivo o un texto pegado para verificar.",
    unreadable: "No es una credencial, una insignia con credencial integrada ni un código QR que esta página pueda leer.",
    no_qr_code: "No se pudo leer ningún código QR en esta imagen. Pruebe con una foto más nítida y tomada más de cerca.",
    fetch_failed: "No se pudo obtener la credencial desde el enlace: {}",
    privacy: "Esta página no carga nada de otros sitios y no conserva nada de lo que usted verifique.",
};

/// Russian.
pub static RU: Texts = Texts {
    title: "Проверка удостоверения",
    intro: "Узнайте, подлинный ли сертификат или значок, кто и кому его выдал и действителен ли он до сих пор.",
    skip_to_content: "Перейти к содержимому",
    languages: "Языки",
    by_link: "По ссылке",
    link_label: "Ссылка на удостоверение (адрес из его QR-кода)",
    by_file: "Из файла",
    file_label: "Файл удостоверения или значка (JSON, JWT, значок PNG или SVG либо фотография QR-кода)",
    file_hint: "Файл проверяется на этом сервере и не сохраняется.",
    camera_label: "Сканировать QR-код камерой",
    camera_hint: "На телефоне откроется камера: сфотографируйте QR-код.",
    by_paste: "Вставкой текста",
    paste_label: "Вставьте удостоверение (JSON или JWT)",
    verify_button: "Проверить",
    result: "Результат",
    verified: "Подтверждено: это удостоверение подлинное",
    verified_explained: "Подпись действительна и принадлежит указанной ниже организации, выдавшей удостоверение; удостоверение находится в пределах срока действия, не отозвано и не приостановлено.",
    not_verified: "Не подтверждено: не полагайтесь на это удостоверение",
    not_verified_explained: "Как минимум одна проверка не пройдена. Ниже указано, какая именно и почему.",
    indeterminate: "Не удалось проверить полностью",
    indeterminate_explained: "Пока нарушений не выявлено, но как минимум одну проверку не удалось завершить, например потому, что список отозванных удостоверений выдавшей организации оказался недоступен. Повторите попытку позже.",
    learner: "Кому выдано",
    learner_unnamed: "В удостоверении не указано",
    achievement: "Достижение",
    description: "Описание",
    criteria: "Условия получения",
    issuer: "Кем выдано",
    issuer_trusted: "Входит в список доверенных организаций этого сервиса проверки под названием «{}»",
    issuer_not_trusted: "Не входит в список доверенных организаций этого сервиса проверки",
    issuer_no_list: "Этот сервис проверки не ведёт списка доверенных организаций",
    valid_from: "Действительно с",
    valid_until: "Действительно до",
    no_end: "Бессрочно",
    details: "Что проверено",
    status_valid: "пройдено",
    status_invalid: "не пройдено",
    status_indeterminate: "не удалось проверить",
    check_parse: "Читаемость удостоверения",
    check_context: "Известный словарь",
    check_schema: "Формат Open Badges",
    check_proof: "Подпись",
    check_issuer: "Выдавшая организация",
    check_validity: "Срок действия",
    check_status: "Отзыв и приостановка",
    check_trust: "Доверенная организация",
    check_presentation: "Предъявление",
    messages_in_english: "Технические подробности приводятся на английском языке.",
    nothing_given: "Укажите ссылку, выберите файл или вставьте текст для проверки.",
    unreadable: "Это не удостоверение, не значок со встроенным удостоверением и не QR-код, который может прочитать эта страница.",
    no_qr_code: "На этом изображении не удалось распознать QR-код. Попробуйте сделать более чёткий снимок с близкого расстояния.",
    fetch_failed: "Не удалось получить удостоверение по ссылке: {}",
    privacy: "Эта страница ничего не загружает с других сайтов и не сохраняет ничего из того, что вы проверяете.",
};

/// Chinese.
pub static ZH: Texts = Texts {
    title: "核验证书",
    intro: "查明证书或徽章是否真实、由谁颁发、颁发给谁，以及是否仍然有效。",
    skip_to_content: "跳至正文",
    languages: "语言",
    by_link: "通过链接",
    link_label: "证书链接（即其 QR 码中的地址）",
    by_file: "通过文件",
    file_label: "证书或徽章文件（JSON、JWT、PNG 或 SVG 徽章，或 QR 码照片）",
    file_hint: "文件在本服务器上核验，不会被保留。",
    camera_label: "用相机扫描 QR 码",
    camera_hint: "在手机上，此操作将打开相机；请拍下 QR 码。",
    by_paste: "通过粘贴",
    paste_label: "粘贴证书（JSON 或 JWT）",
    verify_button: "核验",
    result: "核验结果",
    verified: "核验通过：此证书真实有效",
    verified_explained: "签名有效，且由下方所列的颁发机构签署；证书在有效期内，且未被撤销或暂停。",
    not_verified: "核验未通过：请勿采信此证书",
    not_verified_explained: "至少有一项核验未通过。下方详情说明了是哪一项及其原因。",
    indeterminate: "无法完成全部核验",
    indeterminate_explained: "目前未发现问题，但至少有一项核验未能完成，例如无法访问颁发机构的撤销列表。请稍后再试。",
    learner: "授予对象",
    learner_unnamed: "证书中未注明",
    achievement: "所获成就",
    description: "说明",
    criteria: "获得方式",
    issuer: "颁发机构",
    issuer_trusted: "已列入本核验服务的可信颁发机构名单，名称为“{}”",
    issuer_not_trusted: "未列入本核验服务的可信颁发机构名单",
    issuer_no_list: "本核验服务未设置可信颁发机构名单",
    valid_from: "生效日期",
    valid_until: "有效期至",
    no_end: "无截止日期",
    details: "核验项目",
    status_valid: "通过",
    status_invalid: "未通过",
    status_indeterminate: "无法核验",
    check_parse: "证书可读",
    check_context: "已知词汇表",
    check_schema: "Open Badges 格式",
    check_proof: "签名",
    check_issuer: "颁发机构",
    check_validity: "有效期",
    check_status: "撤销与暂停",
    check_trust: "可信颁发机构",
    check_presentation: "出示",
    messages_in_english: "技术详情以英文提供。",
    nothing_given: "请提供要核验的链接、文件或粘贴的文本。",
    unreadable: "这不是本页面能够读取的证书、内嵌证书的徽章或 QR 码。",
    no_qr_code: "无法从此图片中读取 QR 码。请靠近一些，拍一张更清晰的照片。",
    fetch_failed: "无法通过该链接获取证书：{}",
    privacy: "本页面不从其他网站加载任何内容，也不保留您核验的任何内容。",
};

/// Arabic.
pub static AR: Texts = Texts {
    title: "التحقق من شهادة",
    intro: "تحقّق مما إذا كانت الشهادة أو الشارة أصلية، ومن أصدرها ولمن، وما إذا كانت لا تزال سارية.",
    skip_to_content: "الانتقال إلى المحتوى",
    languages: "اللغات",
    by_link: "عبر رابط",
    link_label: "رابط الشهادة (العنوان الموجود في رمز QR الخاص بها)",
    by_file: "عبر ملف",
    file_label: "ملف الشهادة أو الشارة (JSON أو JWT أو شارة PNG أو SVG، أو صورة لرمز QR)",
    file_hint: "يُفحص الملف على هذا الخادم ولا يُحتفظ به.",
    camera_label: "مسح رمز QR بالكاميرا",
    camera_hint: "على الهاتف، يؤدي هذا إلى فتح الكاميرا؛ التقط صورة لرمز QR.",
    by_paste: "عبر اللصق",
    paste_label: "الصق الشهادة (JSON أو JWT)",
    verify_button: "تحقّق",
    result: "النتيجة",
    verified: "تم التحقق: هذه الشهادة أصلية",
    verified_explained: "التوقيع صالح وصادر عن الجهة المُصدِرة المذكورة أدناه، والشهادة ضمن فترة صلاحيتها، ولم يتم إلغاؤها أو تعليقها.",
    not_verified: "لم يتم التحقق: لا تعتمد على هذه الشهادة",
    not_verified_explained: "أخفق فحص واحد على الأقل. توضح التفاصيل أدناه أي فحص أخفق ولماذا.",
    indeterminate: "تعذّر التحقق منها بالكامل",
    indeterminate_explained: "لم يظهر أي خلل حتى الآن، ولكن تعذّر إكمال فحص واحد على الأقل، على سبيل المثال بسبب تعذّر الوصول إلى قائمة الإلغاء لدى الجهة المُصدِرة. يُرجى المحاولة مرة أخرى لاحقًا.",
    learner: "مُنحت إلى",
    learner_unnamed: "لم يُذكر الاسم في الشهادة",
    achievement: "الإنجاز",
    description: "الوصف",
    criteria: "كيفية الحصول عليها",
    issuer: "صادرة عن",
    issuer_trusted: "مُدرجة في قائمة الجهات المُصدِرة الموثوقة لدى خدمة التحقق هذه باسم «{}»",
    issuer_not_trusted: "غير مُدرجة في قائمة الجهات المُصدِرة الموثوقة لدى خدمة التحقق هذه",
    issuer_no_list: "لا تحتفظ خدمة التحقق هذه بقائمة للجهات المُصدِرة الموثوقة",
    valid_from: "سارية اعتبارًا من",
    valid_until: "سارية حتى",
    no_end: "لا يوجد تاريخ انتهاء",
    details: "ما تم فحصه",
    status_valid: "ناجح",
    status_invalid: "غير ناجح",
    status_indeterminate: "تعذّر الفحص",
    check_parse: "شهادة مقروءة",
    check_context: "مفردات معروفة",
    check_schema: "تنسيق Open Badges",
    check_proof: "التوقيع",
    check_issuer: "الجهة المُصدِرة",
    check_validity: "التواريخ",
    check_status: "الإلغاء والتعليق",
    check_trust: "جهة مُصدِرة موثوقة",
    check_presentation: "العرض",
    messages_in_english: "تُعرض التفاصيل الفنية باللغة الإنجليزية.",
    nothing_given: "يُرجى تقديم رابط أو ملف أو نص ملصق للتحقق منه.",
    unreadable: "هذا المحتوى ليس شهادة ولا شارة تتضمن شهادة ولا رمز QR يمكن لهذه الصفحة قراءته.",
    no_qr_code: "تعذّرت قراءة أي رمز QR في هذه الصورة. جرّب التقاط صورة أوضح ومن مسافة أقرب.",
    fetch_failed: "تعذّر جلب الشهادة من الرابط: {}",
    privacy: "لا تحمّل هذه الصفحة أي شيء من مواقع أخرى، ولا تحتفظ بأي شيء تتحقق منه.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_negotiated_by_weight() {
        assert_eq!(Language::negotiate("fr-CH, fr;q=0.9, en;q=0.8"), Some(Language::French));
        assert_eq!(Language::negotiate("de, ar;q=0.5, en;q=0.4"), Some(Language::Arabic));
        assert_eq!(Language::negotiate("zh-Hans-CN"), Some(Language::Chinese));
        assert_eq!(Language::negotiate("ru;q=0, es;q=0.1"), Some(Language::Spanish));
        assert_eq!(Language::negotiate("de, ja"), None);
        assert_eq!(Language::negotiate(""), None);
    }

    #[test]
    fn only_arabic_is_right_to_left() {
        for l in Language::ALL {
            assert_eq!(l.direction() == "rtl", l == Language::Arabic);
            assert_eq!(Language::from_tag(l.tag()), Some(l));
        }
    }
}
