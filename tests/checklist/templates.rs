//! The CheckList templates (issue 15): Spanish news-register sentences written for this suite,
//! with slots for the target actor, its apposition, the subject who acts on it and negation.
//!
//! Slots: `{T}` the target as written in the text (also the row's actor, so the matcher finds
//! exactly that mention); `{D}` the target's apposition ("el presidente argentino"); `{S}` the
//! subject: another actor of the list or a generic agent; `{O}` the other actor in role tests;
//! `{lo}` / `{o}` the target's object pronoun and gender ending; `{NEG}` empty or "no ".
//! After the slots are filled, "de el" / "a el" contract and the first letter is capitalized.

/// A person of `datasets/actors.csv` used as a target: its canonical name (looked up in the
/// file, which gives its aliases), grammatical gender, and an apposition written for the suite.
pub struct Person {
    pub name: &'static str,
    pub fem: bool,
    pub desc: &'static str,
}

pub const PEOPLE: &[Person] = &[
    p("José Antonio Kast", false, "el líder del Partido Republicano chileno"),
    p("Gabriel Boric", false, "el jefe de Estado chileno"),
    p("Javier Milei", false, "el presidente argentino"),
    p("Claudia Sheinbaum", true, "la presidenta de México"),
    p("Luiz Inácio Lula da Silva", false, "el mandatario brasileño"),
    p("Gustavo Petro", false, "el presidente de Colombia"),
    p("María Corina Machado", true, "la dirigente opositora venezolana"),
    p("Nicolás Maduro", false, "el gobernante venezolano"),
    p("Pedro Sánchez", false, "el presidente del Gobierno español"),
    p("Alberto Núñez Feijóo", false, "el líder de los populares"),
    p("Isabel Díaz Ayuso", true, "la presidenta de la Comunidad de Madrid"),
    p("Yolanda Díaz", true, "la vicepresidenta segunda del Gobierno"),
    p("Evelyn Matthei", true, "la exalcaldesa de Providencia"),
    p("Daniel Noboa", false, "el presidente de Ecuador"),
    p("Nayib Bukele", false, "el presidente de El Salvador"),
    p("Patricia Bullrich", true, "la ministra de Seguridad argentina"),
    p("Axel Kicillof", false, "el gobernador de la provincia de Buenos Aires"),
    p("Yamandú Orsi", false, "el presidente uruguayo"),
];

const fn p(name: &'static str, fem: bool, desc: &'static str) -> Person {
    Person { name, fem, desc }
}

/// Subjects that are not actors of the list (lower case; capitalized at the start of a sentence).
pub const AGENTS: &[&str] = &[
    "el sindicato de docentes",
    "la principal patronal del país",
    "el bloque opositor en el Senado",
    "la asociación de víctimas",
    "el gobernador de la provincia",
    "la federación de estudiantes",
    "el exministro de Economía",
    "la cámara de comercio",
];

/// One basic form of a label, written at four distances from the target's name.
pub struct Form {
    pub label: &'static str,
    pub name: &'static str,
    /// The name right after the verb that carries the stance.
    pub adjacent: &'static [&'static str],
    /// The name after an apposition: "el triunfo de {D}, {T}, quien…".
    pub apposition: &'static [&'static str],
    /// Fronted object: "A {T}, con quien…, {S} le ofreció…".
    pub fronted: &'static [&'static str],
    /// A relative clause between the name and the stance, or the name inside one.
    pub relative: &'static [&'static str],
}

pub const POSITIONS: [&str; 4] = ["adjacent", "apposition", "fronted object", "relative clause"];

impl Form {
    pub fn at(&self, position: usize) -> &'static [&'static str] {
        match position {
            0 => self.adjacent,
            1 => self.apposition,
            2 => self.fronted,
            _ => self.relative,
        }
    }
}

pub const FORMS: &[Form] = &[
    Form {
        label: "supportive",
        name: "endorsement",
        adjacent: &[
            "{S} respaldó a {T} de cara a la segunda vuelta.",
            "{S} anunció su apoyo a {T} en las elecciones del próximo domingo.",
            "{S} pidió el voto para {T} en un mitin celebrado en el centro de la ciudad.",
        ],
        apposition: &[
            "{S} respaldó la candidatura de {D}, {T}, quien disputará la segunda vuelta en diciembre.",
            "{S} anunció su apoyo a {D}, {T}, que buscará la reelección el próximo año.",
            "{S} pidió el voto para {D}, {T}, quien cerró su campaña en el norte del país.",
        ],
        fronted: &[
            "A {T}, con quien compartió escenario en varios foros, {S} le ofreció su respaldo para la segunda vuelta.",
            "A {T}, a quien conoce desde hace años, {S} le dio su apoyo público este lunes.",
            "A {T}, con quien se reunió en la sede del partido, {S} le garantizó sus votos en el Congreso.",
        ],
        relative: &[
            "{T}, que inició el lunes una gira por el sur del país, recibió el respaldo explícito de {S}.",
            "{S} respaldó la candidatura que {T} inscribió este lunes ante la autoridad electoral.",
            "{T}, quien cerró su campaña en la capital, sumó el apoyo de {S} para la segunda vuelta.",
        ],
    },
    Form {
        label: "supportive",
        name: "thanks",
        adjacent: &[
            "{S} agradeció a {T} su apoyo durante la campaña.",
            "{S} dio las gracias a {T} por su ayuda en la negociación.",
            "{S} expresó su gratitud a {T} por la mediación.",
        ],
        apposition: &[
            "{S} agradeció el gesto de {D}, {T}, quien viajó a la capital para acompañar a las familias.",
            "{S} dio las gracias a {D}, {T}, que facilitó el acuerdo alcanzado el fin de semana.",
            "{S} expresó su gratitud a {D}, {T}, por su papel en la negociación.",
        ],
        fronted: &[
            "A {T}, con quien habló por teléfono el domingo, {S} le agradeció su apoyo durante la crisis.",
            "A {T}, que acudió a la ceremonia, {S} le dio las gracias públicamente por su ayuda.",
            "A {T}, con quien negoció durante semanas, {S} le expresó su gratitud por el acuerdo.",
        ],
        relative: &[
            "{S} agradeció la ayuda que {T} ofreció a las familias afectadas por las inundaciones.",
            "{T}, que medió entre las partes durante meses, recibió el agradecimiento de {S}.",
            "{S} agradeció el mensaje que {T} le envió tras la victoria electoral.",
        ],
    },
    Form {
        label: "supportive",
        name: "alliance",
        adjacent: &[
            "{S} selló una alianza con {T} para las próximas elecciones.",
            "{S} firmó un acuerdo de coalición con {T} tras semanas de negociación.",
            "{S} formará un frente común con {T} en los comicios de octubre.",
        ],
        apposition: &[
            "{S} selló una alianza con {D}, {T}, quien encabezará la lista conjunta.",
            "{S} firmó un acuerdo de coalición con {D}, {T}, que aportará tres ministros al nuevo gabinete.",
            "{S} formará un frente común con {D}, {T}, quien lidera la oposición en el Senado.",
        ],
        fronted: &[
            "A {T}, con quien compartió gobierno en el pasado, {S} le propuso una alianza estable para la legislatura.",
            "A {T}, que dirigía entonces la bancada opositora, {S} le ofreció un pacto de gobierno que ambos firmaron el viernes.",
            "Con {T}, a quien conoce desde la universidad, {S} selló una alianza para las elecciones regionales.",
        ],
        relative: &[
            "{S} cerró la alianza que negociaba desde marzo con {T}.",
            "{S} confirmó el pacto de gobierno que había negociado con {T} durante el verano.",
            "{S} se sumará a la coalición que encabeza {T} para las elecciones de octubre.",
        ],
    },
    Form {
        label: "supportive",
        name: "praise",
        adjacent: &[
            "{S} elogió a {T} por su gestión de la crisis.",
            "{S} celebró el triunfo de {T} en la segunda vuelta.",
            "{S} destacó el liderazgo de {T} durante la cumbre regional.",
        ],
        apposition: &[
            "{S} celebró el triunfo de {D}, {T}, quien se impuso este domingo en la segunda vuelta.",
            "{S} elogió la gestión de {D}, {T}, que presentó el lunes su balance anual.",
            "{S} destacó el liderazgo de {D}, {T}, quien presidió la cumbre regional.",
        ],
        fronted: &[
            "A {T}, con quien coincidió en la cumbre de Lima, {S} le dedicó elogios por su gestión económica.",
            "A {T}, que asumió el cargo hace un año, {S} le reconoció una gestión ejemplar.",
            "A {T}, con quien conversó al término del acto, {S} le transmitió su admiración por el resultado.",
        ],
        relative: &[
            "{S} elogió la reforma que impulsó {T} en el Congreso.",
            "{S} celebró la victoria que obtuvo {T} en las elecciones del domingo.",
            "{T}, que cumplió este mes su primer año en el cargo, recibió los elogios de {S}.",
        ],
    },
    Form {
        label: "distancing",
        name: "accusation",
        adjacent: &[
            "{S} acusó a {T} de mentir sobre las cifras del déficit.",
            "{S} denunció a {T} ante la fiscalía por presunto desvío de fondos.",
            "{S} responsabilizó a {T} del aumento de la inseguridad.",
        ],
        apposition: &[
            "{S} acusó a {D}, {T}, quien compareció el martes ante el Parlamento, de ocultar información.",
            "{S} denunció a {D}, {T}, que viajó el lunes a Bruselas, por presunto desvío de fondos públicos.",
            "{S} responsabilizó a {D}, {T}, quien asumió el cargo en marzo, del aumento de la inseguridad.",
        ],
        fronted: &[
            "A {T}, con quien compartió gabinete durante dos años, {S} {lo} acusó de mentir al país.",
            "A {T}, que llegó al cargo en marzo, {S} {lo} responsabilizó de la crisis energética.",
            "A {T}, con quien se reunió en varias ocasiones, {S} {lo} denunció ante la fiscalía por malversación.",
        ],
        relative: &[
            "{S} denunció las irregularidades que cometió {T} durante su mandato.",
            "{T}, que visitó el lunes la zona afectada, fue acusad{o} por {S} de abandonar a las víctimas.",
            "{S} acusó de corrupción al gobierno que encabeza {T}.",
        ],
    },
    Form {
        label: "distancing",
        name: "refusal",
        adjacent: &[
            "{S} se negó a apoyar a {T} en la segunda vuelta.",
            "{S} rechazó la propuesta de {T} para reformar la Constitución.",
            "{S} descartó votar por {T} en las elecciones del domingo.",
        ],
        apposition: &[
            "{S} se negó a apoyar a {D}, {T}, quien disputará la segunda vuelta en diciembre.",
            "{S} rechazó la propuesta de {D}, {T}, que pretende reformar la Constitución.",
            "{S} descartó votar por {D}, {T}, quien encabeza las encuestas.",
        ],
        fronted: &[
            "A {T}, con quien negoció durante semanas, {S} le negó su apoyo para la investidura.",
            "A {T}, que le pidió el voto por carta, {S} le respondió que no contará con su respaldo.",
            "A {T}, con quien coincidió en la cumbre, {S} le rechazó la propuesta de una alianza.",
        ],
        relative: &[
            "{S} rechazó el plan económico que presentó {T} ante el Congreso.",
            "{S} votó en contra de la reforma que impulsa {T}.",
            "{T}, que buscaba sumar apoyos en el Congreso, recibió la negativa de {S}.",
        ],
    },
    Form {
        label: "distancing",
        name: "breaking ties",
        adjacent: &[
            "{S} rompió con {T} tras meses de desencuentros.",
            "{S} anunció su salida de la coalición de {T}.",
            "{S} cortó relaciones con {T} después del escándalo.",
        ],
        apposition: &[
            "{S} rompió con {D}, {T}, quien había sido su soci{o} durante años.",
            "{S} abandonó la coalición de {D}, {T}, que pierde así la mayoría en el Congreso.",
            "{S} cortó relaciones con {D}, {T}, quien viajó el martes a Washington.",
        ],
        fronted: &[
            "A {T}, con quien gobernó durante cuatro años, {S} le retiró su apoyo este martes.",
            "A {T}, que fue clave en la última campaña, {S} le comunicó la ruptura del pacto de gobierno.",
            "A {T}, con quien firmó el acuerdo en 2022, {S} le anunció que abandona la coalición.",
        ],
        relative: &[
            "{S} abandonó la coalición que encabeza {T}.",
            "{S} rompió el pacto que había firmado con {T} en 2022.",
            "{T}, que dependía de sus votos en el Senado, perdió el apoyo de {S}.",
        ],
    },
    Form {
        label: "distancing",
        name: "criticism",
        adjacent: &[
            "{S} criticó a {T} por su gestión de la crisis.",
            "{S} cuestionó duramente a {T} por el aumento de la deuda.",
            "{S} calificó de fracaso la gestión de {T}.",
        ],
        apposition: &[
            "{S} criticó con dureza a {D}, {T}, quien presentó el lunes su balance anual.",
            "{S} cuestionó la gestión de {D}, {T}, que enfrenta una ola de protestas.",
            "{S} calificó de fracaso el plan de {D}, {T}, quien lo anunció en marzo.",
        ],
        fronted: &[
            "A {T}, con quien coincidió en el debate, {S} le reprochó su falta de resultados.",
            "A {T}, que defendió el martes su plan económico, {S} {lo} criticó con dureza.",
            "A {T}, con quien compartió mesa en el foro, {S} le recriminó su silencio ante la crisis.",
        ],
        relative: &[
            "{S} criticó el presupuesto que presentó {T} ante el Congreso.",
            "{S} calificó de fracaso la reforma que impulsó {T}.",
            "{T}, que defendió su plan en el Senado, recibió duras críticas de {S}.",
        ],
    },
    Form {
        label: "neutral",
        name: "agenda",
        adjacent: &[
            "{T} viajará el jueves a Bruselas para asistir a una cumbre.",
            "{S} informó de que {T} intervendrá en el foro a las diez de la mañana.",
            "La agenda de {T} incluye una visita a la zona portuaria el viernes.",
        ],
        apposition: &[
            "{D}, {T}, quien llegó el lunes a la capital, tiene previsto visitar el puerto el viernes.",
            "{S} informó de que {D}, {T}, intervendrá en el foro a las diez de la mañana.",
            "La agenda de {D}, {T}, incluye una visita a la zona portuaria el viernes.",
        ],
        fronted: &[
            "A {T}, que llegó el lunes a la capital, {S} le entregó el programa de la visita oficial.",
            "A {T}, con quien coincidirá en la cumbre, {S} le enviará el calendario de sesiones.",
            "A {T}, que encabeza la delegación, la organización le asignó el turno de intervención de las once.",
        ],
        relative: &[
            "{S} publicó el calendario de actos que {T} cumplirá durante la semana.",
            "{T}, que llegó el lunes a la capital, visitará el puerto el viernes.",
            "El acto en el que participará {T} comenzará a las siete de la tarde.",
        ],
    },
    Form {
        label: "neutral",
        name: "meetings",
        adjacent: &[
            "{S} se reunió con {T} en la sede del Gobierno.",
            "{S} recibió a {T} en su despacho este lunes.",
            "{S} conversó por teléfono con {T} sobre la cumbre regional.",
        ],
        apposition: &[
            "{S} se reunió con {D}, {T}, quien llegó el lunes a la capital.",
            "{S} recibió a {D}, {T}, que cumple una visita oficial de dos días.",
            "{S} conversó por teléfono con {D}, {T}, sobre la agenda de la cumbre.",
        ],
        fronted: &[
            "A {T}, con quien coincidió en la cumbre de Lima, {S} {lo} recibió este lunes en su despacho.",
            "A {T}, que llegó el domingo a la capital, {S} le propuso reunirse el jueves.",
            "A {T}, que encabeza la delegación, {S} {lo} recibió en el aeropuerto.",
        ],
        relative: &[
            "{S} detalló los temas de la reunión que mantendrá con {T} el jueves.",
            "{T}, que cumple una visita oficial de dos días, se reunió con {S} en la sede del Gobierno.",
            "La reunión que {S} mantuvo con {T} duró dos horas.",
        ],
    },
    Form {
        label: "neutral",
        name: "results",
        adjacent: &[
            "{T} obtuvo el 31% de los votos, según el escrutinio provisional.",
            "La última encuesta sitúa a {T} con un 24% de intención de voto, sin cambios respecto al mes anterior.",
            "Con el 90% de las mesas escrutadas, {T} suma 1,2 millones de votos.",
        ],
        apposition: &[
            "{D}, {T}, quien se presentó por primera vez, obtuvo el 31% de los votos según el escrutinio provisional.",
            "La última encuesta sitúa a {D}, {T}, con un 24% de intención de voto, igual que el mes anterior.",
            "Con el 90% de las mesas escrutadas, {D}, {T}, suma 1,2 millones de votos.",
        ],
        fronted: &[
            "A {T}, que se presentó en doce provincias, el escrutinio provisional le atribuye el 31% de los votos.",
            "A {T}, que compite por primera vez, la última encuesta le asigna un 24% de intención de voto.",
            "A {T}, que cerró su campaña el jueves, el recuento oficial le otorga 1,2 millones de votos.",
        ],
        relative: &[
            "El partido que lidera {T} obtuvo el 31% de los votos según el escrutinio provisional.",
            "{T}, que se presentó en doce provincias, obtuvo el 31% de los votos.",
            "La encuesta que publicó {S} sitúa a {T} con un 24% de intención de voto.",
        ],
    },
];

/// Role tests: the target `{T}` is the one who speaks or acts on another actor `{O}`; toward
/// the speaker the statement is neutral (datasets/README.md, "Who holds the stance").
pub struct Role {
    pub name: &'static str,
    pub templates: &'static [&'static str],
}

pub const ROLES: &[Role] = &[
    Role {
        name: "speaker accuses",
        templates: &[
            "{T} acusó a {O} de mentir sobre las cifras del déficit.",
            "{T} acusó a {O} de ocultar información al Parlamento.",
            "{D}, {T}, acusó a {O} de abandonar a las víctimas de las inundaciones.",
            "En una rueda de prensa, {T} acusó a {O} de pactar con sus adversarios.",
        ],
    },
    Role {
        name: "speaker criticizes",
        templates: &[
            "{T} criticó a {O} por su gestión de la crisis.",
            "{T} calificó de fracaso el plan económico de {O}.",
            "{D}, {T}, cuestionó con dureza la reforma de {O}.",
            "{T} reprochó a {O} su silencio ante las protestas.",
        ],
    },
    Role {
        name: "speaker praises",
        templates: &[
            "{T} elogió a {O} por su gestión de la crisis.",
            "{T} celebró el triunfo de {O} en la segunda vuelta.",
            "{D}, {T}, destacó el liderazgo de {O} durante la cumbre.",
            "{T} calificó de ejemplar la gestión de {O}.",
        ],
    },
    Role {
        name: "speaker thanks",
        templates: &[
            "{T} agradeció a {O} su mediación en el conflicto fronterizo.",
            "{T} dio las gracias a {O} por su mediación.",
            "{D}, {T}, agradeció a {O} la ayuda enviada tras el terremoto.",
            "{T} expresó su gratitud a {O} por el acuerdo alcanzado.",
        ],
    },
    Role {
        name: "speaker endorses",
        templates: &[
            "{T} respaldó a {O} de cara a la segunda vuelta.",
            "{T} pidió el voto para {O} en un mitin en la capital.",
            "{D}, {T}, anunció su apoyo a {O} en las elecciones de octubre.",
            "{T} se sumó a la campaña de {O} en el norte del país.",
        ],
    },
];

/// Sentences with quoted speech, in every label, for the quote-mark invariance tests.
pub const QUOTED: &[&str] = &[
    "{S}: «Votaré por {T} en la segunda vuelta».",
    "{S} aseguró que «{T} es la mejor opción para el país».",
    "«Con {T} no vamos a negociar nada», afirmó {S}.",
    "{S} calificó de «irresponsable» el plan de {T}.",
    "«Agradecemos a {T} su apoyo en estos meses difíciles», escribió {S} en redes sociales.",
    "{S} sobre {T}: «Nos reuniremos el jueves para hablar de la agenda».",
    "«{T} ha traicionado a sus votantes», denunció {S}.",
    "{S} afirmó que la reunión con {T} fue «cordial y productiva».",
    "«La reunión con {T} será el martes a las diez», informó {S}.",
    "{S} dijo que {T} «no tiene autoridad moral» para hablar de corrupción.",
    "«Estamos con {T} hasta el final», proclamó {S} ante sus seguidores.",
    "{S} consideró «una vergüenza» la gestión de {T}.",
    "«{T} llegará a la capital el lunes por la noche», precisó {S}.",
    "{S} celebró el «histórico» triunfo de {T}.",
    "«No apoyaremos a {T} en ninguna votación», advirtió {S}.",
    "El «plan de rescate» de {T} se votará el jueves en el Senado.",
];

/// Support with `{NEG}`: the negated form should lower P(supportive) and raise P(distancing).
pub const NEGATED_SUPPORT: &[&str] = &[
    "{S} {NEG}respaldó a {T} de cara a la segunda vuelta.",
    "{S} {NEG}apoyó la candidatura de {T} en las primarias.",
    "{S} {NEG}votó por {T} en la investidura.",
    "{S} {NEG}firmó el manifiesto de apoyo a {T}.",
    "{S} {NEG}respaldó a {D}, {T}, en la votación del Senado.",
    "{S} {NEG}se sumó a la campaña de {T} en el norte del país.",
    "{S} {NEG}defendió a {T} de las críticas de la oposición.",
    "{S} {NEG}elogió la gestión de {T} durante la cumbre.",
    "{S} {NEG}pidió el voto para {T} en el cierre de campaña.",
    "{S} {NEG}felicitó a {T} por su victoria electoral.",
    "A {T}, con quien compartió escenario en Madrid, {S} {NEG}le ofreció su respaldo.",
    "{S} {NEG}apoyará la reforma que impulsa {T}.",
];

/// Criticism with `{NEG}`: the negated form should lower P(distancing).
pub const NEGATED_CRITICISM: &[&str] = &[
    "{S} {NEG}criticó a {T} por su gestión de la crisis.",
    "{S} {NEG}acusó a {T} de mentir sobre las cifras del déficit.",
    "{S} {NEG}cuestionó la gestión de {T} durante el debate.",
    "{S} {NEG}atacó a {T} en su discurso de clausura.",
    "{S} {NEG}denunció a {T} ante la fiscalía.",
    "{S} {NEG}responsabilizó a {T} de la crisis energética.",
    "{S} {NEG}criticó con dureza a {D}, {T}, durante la sesión.",
    "{S} {NEG}calificó de fracaso el plan de {T}.",
    "{S} {NEG}reprochó a {T} su silencio ante las protestas.",
    "A {T}, con quien coincidió en el foro, {S} {NEG}le reprochó su falta de resultados.",
    "{S} {NEG}cargó contra {T} en la rueda de prensa.",
    "{S} {NEG}se burló de {T} en las redes sociales.",
];

/// Hedged support: with `{NEG}` = "no " ("no descartó apoyar") it should lean supportive
/// (P(supportive) > P(distancing)) and be more supportive than without ("descartó apoyar").
pub const NOT_RULED_OUT: &[&str] = &[
    "{S} {NEG}descartó apoyar a {T} en la segunda vuelta.",
    "{S} {NEG}descarta respaldar a {T} si llega al balotaje.",
    "{S} {NEG}descartó sumarse a la campaña de {T}.",
    "{S} {NEG}descartó apoyar a {D}, {T}, en las elecciones de octubre.",
    "{S} {NEG}descarta votar por {T} en la investidura.",
    "{S} {NEG}descartó una alianza con {T} para las elecciones regionales.",
    "A {T}, con quien negocia desde marzo, {S} {NEG}descarta darle su apoyo.",
    "{S} {NEG}descartó firmar un acuerdo de gobierno con {T}.",
];

/// Stopped support: `{NEG}` = "volvió a " reads as support, "dejó de " (stopped) as its
/// withdrawal, "nunca dejó de " (never stopped) as support again.
pub const STOPPED_SUPPORT: &[&str] = &[
    "{S} {NEG}apoyar a {T} en el Congreso.",
    "{S} {NEG}respaldar a {T} tras la elección.",
    "{S} {NEG}elogiar a {T} en sus discursos.",
    "{S} {NEG}defender a {T} ante la prensa.",
    "{S} {NEG}acompañar a {T} en sus actos de campaña.",
    "{S} {NEG}votar por {T} en las primarias.",
];

/// Neutral clauses for the invariance tests: (test name, prefix, suffix).
pub const CLAUSES: &[(&str, &str, &str)] = &[
    ("según fuentes oficiales", "", ", según fuentes oficiales"),
    ("este martes", "Este martes, ", ""),
    ("en declaraciones a la prensa", "", ", en declaraciones a la prensa"),
];

/// Concessive clauses that go against the main clause, for the invariance test "the main clause
/// wins" (datasets/README.md): conceded to a refusal (the negated `NEGATED_SUPPORT` forms) and
/// conceded to support (the plain forms).
pub const CONCEDE_TO_REFUSAL: &[&str] = &[
    ", pese a la cercanía ideológica entre ambos",
    ", aunque reconoce su trayectoria",
    ", a pesar de la buena relación personal que los une",
    ", si bien valora su experiencia",
];
pub const CONCEDE_TO_SUPPORT: &[&str] = &[
    ", pese a sus diferencias ideológicas",
    ", aunque mantiene reservas sobre su programa",
    ", a pesar de las críticas de su propio partido",
    ", si bien discrepa en política fiscal",
];
