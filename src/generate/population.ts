/**
 * Who crosses: the nationality mix, names, document formats, checkpoints, receiving
 * parties. Proportions follow the shape of the Kazakhstan Migration Service
 * Committee's yearly statements (Russians, Uzbeks and Kyrgyz make up three quarters
 * of entries); the figures are the generator's defaults, not statistics.
 */

export interface NameGroup {
  surnames: readonly string[];
  male: readonly string[];
  female: readonly string[];
  /** Appended to a surname for women (Slavic and Central Asian -ov/-ev surnames). */
  feminine: string;
}

/** Slavic names, Latin (passport transliteration) and Cyrillic, index-aligned. */
const SLAVIC_LATIN: NameGroup = {
  surnames: [
    'IVANOV', 'SMIRNOV', 'KUZNETSOV', 'POPOV', 'VASILEV', 'PETROV', 'SOKOLOV', 'MIKHAILOV', 'NOVIKOV',
    'FEDOROV', 'MOROZOV', 'VOLKOV', 'ALEKSEEV', 'LEBEDEV', 'SEMENOV', 'EGOROV', 'PAVLOV', 'KOZLOV',
    'STEPANOV', 'NIKOLAEV', 'ORLOV', 'ZAKHAROV',
  ],
  male: [
    'ALEKSANDR', 'DMITRII', 'MAKSIM', 'SERGEI', 'ANDREI', 'ALEKSEI', 'ARTEM', 'ILIA', 'KIRILL', 'MIKHAIL',
    'NIKITA', 'IVAN', 'EVGENII', 'VLADIMIR', 'FEDOR', 'PAVEL',
  ],
  female: [
    'ANASTASIIA', 'ELENA', 'OLGA', 'NATALIA', 'EKATERINA', 'ANNA', 'TATIANA', 'MARIIA', 'IRINA', 'IULIIA',
    'SVETLANA', 'DARIA', 'ALENA',
  ],
  feminine: 'A',
};

export const SLAVIC_CYRILLIC: NameGroup = {
  surnames: [
    'ИВАНОВ', 'СМИРНОВ', 'КУЗНЕЦОВ', 'ПОПОВ', 'ВАСИЛЬЕВ', 'ПЕТРОВ', 'СОКОЛОВ', 'МИХАЙЛОВ', 'НОВИКОВ',
    'ФЁДОРОВ', 'МОРОЗОВ', 'ВОЛКОВ', 'АЛЕКСЕЕВ', 'ЛЕБЕДЕВ', 'СЕМЁНОВ', 'ЕГОРОВ', 'ПАВЛОВ', 'КОЗЛОВ',
    'СТЕПАНОВ', 'НИКОЛАЕВ', 'ОРЛОВ', 'ЗАХАРОВ',
  ],
  male: [
    'АЛЕКСАНДР', 'ДМИТРИЙ', 'МАКСИМ', 'СЕРГЕЙ', 'АНДРЕЙ', 'АЛЕКСЕЙ', 'АРТЁМ', 'ИЛЬЯ', 'КИРИЛЛ', 'МИХАИЛ',
    'НИКИТА', 'ИВАН', 'ЕВГЕНИЙ', 'ВЛАДИМИР', 'ФЁДОР', 'ПАВЕЛ',
  ],
  female: [
    'АНАСТАСИЯ', 'ЕЛЕНА', 'ОЛЬГА', 'НАТАЛЬЯ', 'ЕКАТЕРИНА', 'АННА', 'ТАТЬЯНА', 'МАРИЯ', 'ИРИНА', 'ЮЛИЯ',
    'СВЕТЛАНА', 'ДАРЬЯ', 'АЛЁНА',
  ],
  feminine: 'А',
};

const NAMES = {
  slavic: SLAVIC_LATIN,
  uzbek: {
    surnames: ['KARIMOV', 'RAKHIMOV', 'YUSUPOV', 'ABDULLAEV', 'TOSHMATOV', 'ERGASHEV', 'NURMATOV', 'SAIDOV',
      'MIRZAEV', 'KHOLMATOV', 'ALIMOV', 'SULTANOV'],
    male: ['ALISHER', 'BOBUR', 'JAMSHID', 'SARDOR', 'DILSHOD', 'RUSTAM', 'SHERZOD', 'AZIZ', 'OTABEK', 'ULUGBEK'],
    female: ['DILNOZA', 'GULNORA', 'MADINA', 'NIGORA', 'SHAKHNOZA', 'ZARINA', 'FERUZA', 'MALIKA'],
    feminine: 'A',
  },
  kyrgyz: {
    surnames: ['ASANOV', 'TOKTOGULOV', 'ABDYKADYROV', 'SYDYKOV', 'ZHUMABAEV', 'OSMONOV', 'MAMATOV', 'BAKIROV',
      'ISAKOV', 'ESENALIEV'],
    male: ['AZAMAT', 'BAKYT', 'NURLAN', 'ERLAN', 'TALANT', 'ULAN', 'MIRLAN', 'BEKZAT'],
    female: ['AIGUL', 'AIZADA', 'GULMIRA', 'NURGUL', 'CHOLPON', 'ASEL'],
    feminine: 'A',
  },
  tajik: {
    surnames: ['RAHMONOV', 'NAZAROV', 'SHARIPOV', 'DAVLATOV', 'KHOLOV', 'SAFAROV', 'QODIROV', 'BOBOEV'],
    male: ['FIRDAVS', 'SUHROB', 'DILOVAR', 'FARRUKH', 'BEHRUZ', 'JONIBEK'],
    female: ['MEHRONA', 'SITORA', 'NILUFAR', 'ZARINA'],
    feminine: 'A',
  },
  azeri: {
    surnames: ['ALIYEV', 'MAMMADOV', 'HASANOV', 'HUSEYNOV', 'GULIYEV', 'ISMAYILOV'],
    male: ['ELCHIN', 'RASHAD', 'TURAL', 'ORKHAN'],
    female: ['AYTAN', 'LEYLA', 'GUNEL', 'NARMIN'],
    feminine: 'A',
  },
  georgian: {
    surnames: ['BERIDZE', 'KAPANADZE', 'GELASHVILI', 'MAISURADZE', 'GIORGADZE', 'LOMIDZE'],
    male: ['GIORGI', 'DAVIT', 'LEVAN', 'NIKOLOZ'],
    female: ['NINO', 'MARIAM', 'TAMAR', 'ANA'],
    feminine: '',
  },
  armenian: {
    surnames: ['GRIGORYAN', 'SARGSYAN', 'HAKOBYAN', 'HARUTYUNYAN', 'KARAPETYAN', 'PETROSYAN'],
    male: ['ARMEN', 'DAVIT', 'NAREK', 'TIGRAN'],
    female: ['ANI', 'ANNA', 'LILIT', 'MARIAM'],
    feminine: '',
  },
  chinese: {
    surnames: ['WANG', 'LI', 'ZHANG', 'LIU', 'CHEN', 'YANG', 'HUANG', 'ZHAO', 'WU', 'ZHOU', 'XU', 'SUN'],
    male: ['WEI', 'LEI', 'JUN', 'HAO', 'TAO', 'QIANG', 'JIANGUO', 'ZHIWEI'],
    female: ['FANG', 'JING', 'MIN', 'YAN', 'HUI', 'XIN', 'XIAOMEI'],
    feminine: '',
  },
  turkish: {
    surnames: ['YILMAZ', 'KAYA', 'DEMIR', 'SAHIN', 'CELIK', 'YILDIZ', 'OZTURK', 'AYDIN'],
    male: ['MEHMET', 'MUSTAFA', 'AHMET', 'ALI', 'EMRE', 'BURAK'],
    female: ['AYSE', 'FATMA', 'ZEYNEP', 'ELIF', 'EMINE'],
    feminine: '',
  },
  german: {
    surnames: ['MUELLER', 'SCHMIDT', 'SCHNEIDER', 'FISCHER', 'WEBER', 'MEYER', 'WAGNER', 'BECKER'],
    male: ['LUKAS', 'JONAS', 'THOMAS', 'MICHAEL', 'ANDREAS'],
    female: ['ANNA', 'JULIA', 'SARAH', 'LAURA', 'KATHARINA'],
    feminine: '',
  },
  indian: {
    surnames: ['SINGH', 'KUMAR', 'SHARMA', 'PATEL', 'GUPTA', 'REDDY', 'NAIR'],
    male: ['RAHUL', 'AMIT', 'VIKRAM', 'ARJUN', 'RAJESH'],
    female: ['PRIYA', 'ANJALI', 'NEHA', 'POOJA'],
    feminine: '',
  },
  persian: {
    surnames: ['AHMADI', 'HOSSEINI', 'MOHAMMADI', 'RAHIMI', 'KARIMI', 'MOUSAVI'],
    male: ['ALI', 'REZA', 'MOHAMMAD', 'HAMID'],
    female: ['MARYAM', 'ZAHRA', 'FATEMEH', 'NEGAR'],
    feminine: '',
  },
  english: {
    surnames: ['SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'MILLER', 'DAVIS', 'WILSON', 'TAYLOR'],
    male: ['JOHN', 'MICHAEL', 'DAVID', 'JAMES', 'ROBERT'],
    female: ['MARY', 'JENNIFER', 'SARAH', 'EMILY'],
    feminine: '',
  },
  korean: {
    surnames: ['KIM', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO'],
    male: ['MINJUN', 'SEOJUN', 'JIHO', 'DOYUN'],
    female: ['SEOYEON', 'JIWOO', 'HAEUN', 'MINSEO'],
    feminine: '',
  },
  japanese: {
    surnames: ['SATO', 'SUZUKI', 'TAKAHASHI', 'TANAKA', 'WATANABE'],
    male: ['HIROSHI', 'TAKESHI', 'KENJI'],
    female: ['YUKI', 'HARUKA', 'AOI'],
    feminine: '',
  },
  mongolian: {
    surnames: ['BATBAYAR', 'GANBOLD', 'ENKHBAATAR', 'TSEND', 'DORJ', 'BOLD'],
    male: ['BAT-ERDENE', 'TEMUULEN', 'GANZORIG'],
    female: ['ENKHJARGAL', 'OYUNCHIMEG', 'SARANGEREL'],
    feminine: '',
  },
  southAsian: {
    surnames: ['KHAN', 'AHMADZAI', 'HUSSAIN', 'AHMED', 'RAHMAN', 'NOORI', 'HOSSAIN', 'ISLAM'],
    male: ['MOHAMMAD', 'ABDUL', 'AHMAD', 'IMRAN', 'BILAL', 'RAFIQ'],
    female: ['FATIMA', 'AISHA', 'SANA', 'ZAINAB', 'NUSRAT'],
    feminine: '',
  },
  vietnamese: {
    surnames: ['NGUYEN', 'TRAN', 'LE', 'PHAM', 'HOANG', 'VU'],
    male: ['VAN MINH', 'DUC ANH', 'QUANG'],
    female: ['THI LAN', 'THI HUONG', 'THU HA'],
    feminine: '',
  },
  nigerian: {
    surnames: ['OKAFOR', 'ADEYEMI', 'OKONKWO', 'BELLO', 'IBRAHIM'],
    male: ['CHINEDU', 'EMEKA', 'TUNDE'],
    female: ['NGOZI', 'AMAKA', 'FUNMI'],
    feminine: '',
  },
  arab: {
    surnames: ['MOHAMED', 'HASSAN', 'IBRAHIM', 'MAHMOUD', 'SAYED', 'AL-HASHIMI'],
    male: ['AHMED', 'OMAR', 'KHALED', 'YOUSSEF'],
    female: ['NOUR', 'MARIAM', 'HANA'],
    feminine: '',
  },
} as const satisfies Record<string, NameGroup>;

/** Checkpoints: airports, and road and rail crossings on each border. */
export const CHECKPOINTS = [
  'ALA-AIRPORT', 'NQZ-AIRPORT', 'CIT-AIRPORT', 'GUW-AIRPORT', 'SCO-AIRPORT', 'KGF-AIRPORT',
  'PETROPAVLOVSK-RAIL', 'ZHANA ZHOL', 'KAIRAK', 'SYRYM', 'KURMANGAZY', 'AUL',
  'ZHIBEK ZHOLY', 'KAZYGURT', 'TAZHEN',
  'KORDAI', 'AK-ZHOL', 'KARASU',
  'KHORGOS', 'DOSTYK-RAIL', 'BAKHTY',
] as const;

/** Weighted checkpoint indexes: [checkpoint index, weight]. */
type CheckpointMix = readonly (readonly [number, number])[];
const AIR: CheckpointMix = [[0, 40], [1, 30], [2, 10], [3, 7], [4, 7], [5, 6]];
function withAir(airShare: number, land: CheckpointMix): CheckpointMix {
  const landTotal = land.reduce((s, [, w]) => s + w, 0);
  return [
    ...AIR.map(([i, w]) => [i, (w / 100) * airShare] as const),
    ...land.map(([i, w]) => [i, (w / landTotal) * (100 - airShare)] as const),
  ];
}
const CHECKPOINT_MIXES = {
  air: AIR,
  russia: withAir(45, [[6, 30], [7, 15], [8, 15], [9, 10], [10, 20], [11, 10]]),
  uzbekistan: withAir(25, [[12, 60], [13, 25], [14, 15]]),
  kyrgyzstan: withAir(30, [[15, 60], [16, 25], [17, 15]]),
  china: withAir(50, [[18, 50], [19, 30], [20, 20]]),
} as const satisfies Record<string, CheckpointMix>;

export interface Nationality {
  code: string;
  /** Share of persons, in percent. */
  weight: number;
  names: NameGroup;
  /** Ten distinct document-number prefixes (the leading digit of a scrambled serial picks one). */
  docPrefixes: readonly string[];
  checkpoints: CheckpointMix;
  /** Probability that a person of this nationality is made an overstayer. */
  violatorShare: number;
  /** Russian names written in the Russian-language variant (cycled per person), if any. */
  russianNames?: readonly string[];
}

const LETTER_PREFIXES = ['N', 'P', 'C', 'K', 'M', 'R', 'S', 'T', 'U', 'W'];
const PAIRS = (s: string): string[] => s.split(' ');

/** The default mix (weights sum to 100). */
export const NATIONALITIES: readonly Nationality[] = [
  { code: 'RUS', weight: 38, names: NAMES.slavic, docPrefixes: PAIRS('75 76 77 72 73 71 70 65 53 45'),
    checkpoints: CHECKPOINT_MIXES.russia, violatorShare: 0.002, russianNames: ['Россия', 'Российская Федерация'] },
  { code: 'UZB', weight: 25, names: NAMES.uzbek, docPrefixes: PAIRS('FA AA AB AC AD FB FK AE AF FE'),
    checkpoints: CHECKPOINT_MIXES.uzbekistan, violatorShare: 0.003, russianNames: ['Узбекистан'] },
  { code: 'KGZ', weight: 12, names: NAMES.kyrgyz, docPrefixes: PAIRS('AC ID AN PE AK AM AR AS AT AU'),
    checkpoints: CHECKPOINT_MIXES.kyrgyzstan, violatorShare: 0.0025, russianNames: ['Кыргызстан'] },
  { code: 'CHN', weight: 6, names: NAMES.chinese, docPrefixes: PAIRS('E EA EB EC ED EE EF EG EH EJ'),
    checkpoints: CHECKPOINT_MIXES.china, violatorShare: 0.002, russianNames: ['Китай'] },
  { code: 'TJK', weight: 4, names: NAMES.tajik, docPrefixes: PAIRS('40 41 42 43 44 46 47 48 49 50'),
    checkpoints: CHECKPOINT_MIXES.uzbekistan, violatorShare: 0.004, russianNames: ['Таджикистан'] },
  { code: 'TUR', weight: 2, names: NAMES.turkish, docPrefixes: PAIRS('U S Z A B C D E F G'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.002, russianNames: ['Турция'] },
  { code: 'DEU', weight: 1, names: NAMES.german, docPrefixes: PAIRS('C0 C1 C2 C3 C4 C5 C6 C7 C8 C9'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'IND', weight: 1, names: NAMES.indian, docPrefixes: PAIRS('J K L M N P R S T U'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.003 },
  { code: 'USA', weight: 1, names: NAMES.english, docPrefixes: PAIRS('50 51 52 53 54 55 56 57 58 59'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'AZE', weight: 1, names: NAMES.azeri, docPrefixes: PAIRS('C CA CB CC CD CE CF CG CH CJ'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.002 },
  { code: 'GEO', weight: 0.6, names: NAMES.georgian, docPrefixes: PAIRS('12 13 14 15 16 17 18 19 20 21'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.002 },
  { code: 'BLR', weight: 0.8, names: NAMES.slavic, docPrefixes: PAIRS('MP MC KH HB AB BM KB MB MH MK'),
    checkpoints: CHECKPOINT_MIXES.russia, violatorShare: 0.002, russianNames: ['Беларусь'] },
  { code: 'ARM', weight: 0.6, names: NAMES.armenian, docPrefixes: PAIRS('AM AN AP AR AS AT AU AV AW AX'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.002 },
  { code: 'KOR', weight: 0.8, names: NAMES.korean, docPrefixes: PAIRS('M MA MB MC MD ME MF MG MH MJ'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'MNG', weight: 0.6, names: NAMES.mongolian, docPrefixes: PAIRS('E EA EB EC ED EE EF EG EH EJ'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.002 },
  { code: 'IRN', weight: 0.4, names: NAMES.persian, docPrefixes: PAIRS('A B C D E F G H J K'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.003 },
  { code: 'GBR', weight: 0.4, names: NAMES.english, docPrefixes: PAIRS('50 51 52 53 54 55 56 57 58 59'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'UKR', weight: 0.5, names: NAMES.slavic, docPrefixes: PAIRS('FA FB FC FE FF FG FH FK FM FN'),
    checkpoints: CHECKPOINT_MIXES.russia, violatorShare: 0.002 },
  { code: 'MDA', weight: 0.2, names: NAMES.slavic, docPrefixes: PAIRS('AB AC AD AE AF AG AH AJ AK AL'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.003 },
  { code: 'FRA', weight: 0.2, names: NAMES.english, docPrefixes: PAIRS('10 11 12 13 14 15 16 17 18 19'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'ITA', weight: 0.2, names: NAMES.english, docPrefixes: PAIRS('YA YB YC YD YE YF YG YH YJ YK'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'POL', weight: 0.2, names: NAMES.slavic, docPrefixes: PAIRS('EA EB EC ED EE EF EG EH EJ EK'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'JPN', weight: 0.2, names: NAMES.japanese, docPrefixes: PAIRS('TK TR TS TZ MU MZ NA NB NC ND'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'ISR', weight: 0.1, names: NAMES.english, docPrefixes: PAIRS('30 31 32 33 34 35 36 37 38 39'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  { code: 'ARE', weight: 0.2, names: NAMES.arab, docPrefixes: PAIRS('A1 A2 A3 A4 A5 A6 A7 A8 A9 B1'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.001 },
  // Visa nationals (~3%): every day needs a visa or a TRP.
  { code: 'AFG', weight: 0.6, names: NAMES.southAsian, docPrefixes: LETTER_PREFIXES,
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'PAK', weight: 0.7, names: NAMES.southAsian, docPrefixes: PAIRS('AA AB AC AD AE AF AG AH AJ AK'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'VNM', weight: 0.5, names: NAMES.vietnamese, docPrefixes: PAIRS('B C N P Q R S T V X'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'NGA', weight: 0.3, names: NAMES.nigerian, docPrefixes: PAIRS('A B C D E F G H J K'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'EGY', weight: 0.4, names: NAMES.arab, docPrefixes: PAIRS('A B C D E F G H J K'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'BGD', weight: 0.3, names: NAMES.southAsian, docPrefixes: PAIRS('A B C D E F G H J K'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
  { code: 'SYR', weight: 0.2, names: NAMES.arab, docPrefixes: PAIRS('N0 N1 N2 N3 N4 N5 N6 N7 N8 N9'),
    checkpoints: CHECKPOINT_MIXES.air, violatorShare: 0.01 },
];

/** Receiving parties and addresses: the same pool in Latin and Russian. */
export const CITIES_LATIN = ['ALMATY', 'ASTANA', 'SHYMKENT', 'KARAGANDA', 'AKTOBE', 'ATYRAU', 'AKTAU', 'PAVLODAR',
  'UST-KAMENOGORSK', 'PETROPAVLOVSK', 'KOSTANAY', 'TARAZ', 'TURKESTAN', 'KYZYLORDA'];
export const CITIES_RUSSIAN = ['Алматы', 'Астана', 'Шымкент', 'Караганда', 'Актобе', 'Атырау', 'Актау', 'Павлодар',
  'Усть-Каменогорск', 'Петропавловск', 'Костанай', 'Тараз', 'Туркестан', 'Кызылорда'];
/** City weights (Almaty and Astana receive most foreigners). */
export const CITY_WEIGHTS = [30, 22, 10, 6, 5, 5, 4, 3, 3, 3, 3, 2, 2, 2];
export const STREETS_LATIN = ['ABAI AVE', 'DOSTYK AVE', 'TOLE BI ST', 'SEIFULLIN AVE', 'KABANBAY BATYR AVE',
  'RESPUBLIKI AVE', 'MIRA ST', 'GAGARIN ST', 'BAITURSYNOV ST', 'ZHIBEK ZHOLY ST', 'SATPAEV ST', 'TURAN AVE'];
export const STREETS_RUSSIAN = ['пр. Абая', 'пр. Достык', 'ул. Толе би', 'пр. Сейфуллина', 'пр. Кабанбай батыра',
  'пр. Республики', 'ул. Мира', 'ул. Гагарина', 'ул. Байтурсынова', 'ул. Жибек жолы', 'ул. Сатпаева', 'пр. Туран'];
export const FIRM_WORDS_LATIN = ['KAZSTROY', 'ALTYN', 'NUR', 'DALA', 'STEPPE', 'SAMRUK', 'ORDA', 'ALATAU',
  'TURAN', 'BAITEREK', 'ZHETYSU', 'SARYARKA'];
export const FIRM_WORDS_RUSSIAN = ['Казстрой', 'Алтын', 'Нур', 'Дала', 'Степь', 'Самрук', 'Орда', 'Алатау',
  'Туран', 'Байтерек', 'Жетысу', 'Сарыарка'];
export const FIRM_KINDS_LATIN = ['SERVICE', 'TRANS', 'INVEST', 'LOGISTICS', 'GROUP', 'BUILD'];
export const FIRM_KINDS_RUSSIAN = ['Сервис', 'Транс', 'Инвест', 'Логистик', 'Групп', 'Строй'];
export const PRIVATE_HOSTS_LATIN = ['SERIKOV A.B.', 'ZHUMABEKOVA G.K.', 'AKHMETOV N.S.', 'IVANOVA T.P.',
  'NURPEISOV E.M.', 'KIM V.A.', 'OMAROVA A.Zh.', 'SMAGULOV D.E.'];
export const PRIVATE_HOSTS_RUSSIAN = ['Сериков А.Б.', 'Жумабекова Г.К.', 'Ахметов Н.С.', 'Иванова Т.П.',
  'Нурпеисов Е.М.', 'Ким В.А.', 'Омарова А.Ж.', 'Смагулов Д.Е.'];

/** Permit grounds, expulsion reasons: [reference, Russian]. */
export const TRP_GROUNDS = [
  ['employment', 'трудовая деятельность'],
  ['family', 'воссоединение семьи'],
  ['study', 'обучение'],
  ['business', 'предпринимательская деятельность'],
  ['humanitarian', 'гуманитарные основания'],
] as const;
export const VISA_GROUNDS = [
  ['tourist', 'туризм'],
  ['business', 'деловая'],
  ['private', 'частная'],
  ['work', 'трудовая'],
  ['study', 'учебная'],
] as const;
export const EXPULSION_REASONS = [
  ['overstay', 'нарушение срока пребывания'],
  ['illegal employment', 'незаконная трудовая деятельность'],
  ['administrative offence', 'административное правонарушение'],
  ['court decision', 'решение суда'],
  ['no registration', 'пребывание без регистрации'],
] as const;
