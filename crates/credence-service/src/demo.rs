//! The demo world of `credence serve --demo`: the fictional organisations, product and
//! personas of the report *Developing healthcare workers' confidence in AI* (NHS AI Lab and
//! Health Education England, 2022), seeded through the ordinary use cases. Everything it
//! makes is marked as demo data; seeding is deterministic and idempotent (what exists, by
//! organisation slug, e-mail address, statement or idempotency key, is left as it is).

use std::collections::HashMap;

use credence_domain::framework::Statement;
use credence_domain::registry::{
    AccreditationStatus, AwardStatus, DidMethod, EvidenceStatus, OrgKind, Role, StatusAction,
};
use credence_domain::{bundled, Framework, LevelCode, PathwayCode};
use credence_store::registry::Page;

use crate::accounts::{NewAccount, Password};
use crate::actor::{Holder, OperatorPower};
use crate::awards::{NewAchievement, NewAward, DEFAULT_FRAMEWORK};
use crate::documents::Product;
use crate::evidence::{DecisionInput, EvidenceInput, EvidenceView};
use crate::orgs::NewOrg;
use crate::portfolio::PortfolioSettings;
use crate::registry::Registry;
use crate::ServiceError;

/// The password of every demo account. The demo is for trying Credence out, never for real
/// data: anyone reading the login page may sign in as anyone.
pub const DEMO_PASSWORD: &str = "credence-demo-password";
/// The reserved domain (RFC 2606 `.invalid`) of every demo account's e-mail address.
pub const DEMO_DOMAIN: &str = "demo.credence.invalid";
/// Said by every demo organisation's description.
const FICTIONAL: &str = "Demo data: a fictional organisation from the case studies of the report Developing healthcare workers' confidence in AI (NHS AI Lab and Health Education England, 2022). It is not a real organisation.";
/// The report's summary of its case study (line 637), quoted by the tri-X achievements.
const TRI_X_SUMMARY: &str = "A chest X-ray triaging AI product (tri-X) is co-designed between Linchester ICS and an industry innovator, Triadix. The technology is designed to help manage the radiology workflow by prioritising chest X-rays for review by radiologists. Following related regulatory approvals and evidence of robust performance, the technology is later procured and deployed by Nymouth ICS.";

/// One account a newcomer may sign in as, for the login page's "sign in as" buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub email: String,
    pub display_name: String,
    /// The archetype of a persona ("Shaper"), or the role of a staff account
    /// ("Assessor at Linchester ICS").
    pub label: String,
    /// A short line on who this is: a persona's role as the report gives it.
    pub summary: String,
}

/// What one run of the seeder made or changed; all zero when the demo world was complete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub organisations: usize,
    pub accounts: usize,
    pub memberships: usize,
    pub accreditations: usize,
    pub achievements: usize,
    /// Evidence recorded, attachments added, submissions and decisions made.
    pub evidence_steps: usize,
    pub awards: usize,
    /// Revocations, suspensions, visibility and portfolio settings changed.
    pub changes: usize,
}

impl DemoSummary {
    /// Whether the run changed nothing.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

struct DemoOrg {
    slug: &'static str,
    name: &'static str,
    kind: OrgKind,
    /// What the report says of it, after [`FICTIONAL`].
    about: &'static str,
}

const ACCREDITOR: &str = "demo-accreditation-board";
const LINCHESTER: &str = "linchester-ics";
const NYMOUTH: &str = "nymouth-ics";
const TRIADIX: &str = "triadix";
const HOLPOT_HILL: &str = "holpot-hill-gp";

const ORGS: [DemoOrg; 5] = [
    DemoOrg {
        slug: ACCREDITOR,
        name: "AI Education Accreditation Board (demo)",
        kind: OrgKind::AccreditingBody,
        about: "The report names no accrediting body; this one exists only so the demo can show accreditation. It accredits Linchester ICS and Nymouth ICS for the foundational pathway and Triadix for product-specific training, and reviews the evidence of the two Shaper personas, whose organisations are not in the demo.",
    },
    DemoOrg {
        slug: LINCHESTER,
        name: "Linchester ICS (demo)",
        kind: OrgKind::HealthcareSetting,
        about: "In the report, the integrated care system that co-designs the chest X-ray triage product tri-X with the industry innovator Triadix.",
    },
    DemoOrg {
        slug: NYMOUTH,
        name: "Nymouth ICS (demo)",
        kind: OrgKind::HealthcareSetting,
        about: "In the report, the integrated care system that procures and deploys tri-X, with an AI multidisciplinary team (AI MDT) that leads product-specific training.",
    },
    DemoOrg {
        slug: TRIADIX,
        name: "Triadix (demo)",
        kind: OrgKind::Provider,
        about: "In the report, the industry innovator that co-designs tri-X with Linchester ICS; here it also awards the product-specific training for tri-X.",
    },
    DemoOrg {
        slug: HOLPOT_HILL,
        name: "Holpot Hill GP practice (demo)",
        kind: OrgKind::HealthcareSetting,
        about: "In the report, the GP practice whose practice manager (User Persona 3) took the foundational course when the primary care network implemented AI for appointment booking.",
    },
];

/// A staff account of a demo organisation.
struct Staff {
    /// The e-mail address's local part.
    local: &'static str,
    org: &'static str,
    roles: &'static [Role],
    display_name: &'static str,
    label: &'static str,
}

const STAFF: [Staff; 9] = [
    Staff {
        local: "accreditation-board.issuer",
        org: ACCREDITOR,
        roles: &[Role::Admin, Role::Issuer],
        display_name: "Accreditation Board issuer (demo)",
        label: "Issuer and administrator at the AI Education Accreditation Board",
    },
    Staff {
        local: "accreditation-board.assessor",
        org: ACCREDITOR,
        roles: &[Role::Assessor],
        display_name: "Accreditation Board assessor (demo)",
        label: "Assessor at the AI Education Accreditation Board",
    },
    Staff {
        local: "linchester-ics.issuer",
        org: LINCHESTER,
        roles: &[Role::Admin, Role::Issuer],
        display_name: "Linchester ICS issuer (demo)",
        label: "Issuer and administrator at Linchester ICS",
    },
    Staff {
        local: "linchester-ics.assessor",
        org: LINCHESTER,
        roles: &[Role::Assessor],
        display_name: "Linchester ICS assessor (demo)",
        label: "Assessor at Linchester ICS",
    },
    Staff {
        local: "nymouth-ics.issuer",
        org: NYMOUTH,
        roles: &[Role::Admin, Role::Issuer],
        display_name: "Nymouth ICS issuer (demo)",
        label: "Issuer and administrator at Nymouth ICS",
    },
    Staff {
        local: "nymouth-ics.assessor",
        org: NYMOUTH,
        roles: &[Role::Assessor],
        display_name: "Nymouth ICS assessor (demo)",
        label: "Assessor at Nymouth ICS",
    },
    Staff {
        local: "triadix.issuer",
        org: TRIADIX,
        roles: &[Role::Admin, Role::Issuer],
        display_name: "Triadix issuer (demo)",
        label: "Issuer and administrator at Triadix",
    },
    Staff {
        local: "holpot-hill-gp.admin",
        org: HOLPOT_HILL,
        roles: &[Role::Admin],
        display_name: "Holpot Hill GP practice administrator (demo)",
        label: "Administrator at Holpot Hill GP practice",
    },
    Staff {
        local: "holpot-hill-gp.assessor",
        org: HOLPOT_HILL,
        roles: &[Role::Assessor],
        display_name: "Holpot Hill GP practice assessor (demo)",
        label: "Assessor at Holpot Hill GP practice",
    },
];

/// One of the eleven personas of section 3.5 of the report, quoted word for word.
struct Persona {
    slug: &'static str,
    name: &'static str,
    archetype: &'static str,
    role: &'static str,
    responsibilities: &'static str,
    /// The step of the education journey that covers foundational AI education, with its
    /// line in the report.
    foundational_course: (&'static str, u32),
    source_lines: (u32, u32),
}

const PERSONAS: [Persona; 11] = [
    Persona {
        slug: "shaper-persona-1",
        name: "Shaper Persona 1",
        archetype: "Shaper",
        role: "Digital Health Technologies Director - Arm's Length Body",
        responsibilities: "Manages an assessment pathway for digital health technologies (including AI) and the creation of clinical guidelines for these technologies.",
        foundational_course: ("Started in entry role at arm's length body and completed an online foundational AI-education course.", 1047),
        source_lines: (1032, 1049),
    },
    Persona {
        slug: "shaper-persona-2",
        name: "Shaper Persona 2",
        archetype: "Shaper",
        role: "Head of Data and Transformation - NHS England",
        responsibilities: "Oversees development of policies and implementation of interventions that aim to create safe and efficient environments to collect, store, and share data for research, planning and improvement, including in relation to AI technologies.",
        foundational_course: ("Completed a foundational AI-education course as part of a broader educational programme on digital leadership, and self-directed advanced modules relating to the regulation and evaluation of AI technologies.", 1067),
        source_lines: (1050, 1068),
    },
    Persona {
        slug: "driver-persona-1",
        name: "Driver Persona 1",
        archetype: "Driver",
        role: "Chief Nursing Information Officer (CNIO) - Linchester IC",
        responsibilities: "Sits on the Linchester ICS board. Key decision maker in procurement of AI technologies for the ICS with a particular focus on technologies to be used by nursing staff and healthcare assistants. Collaborates with, and oversees, Embedders within the trust to evaluate deployed technologies, conduct ongoing monitoring, optimise workflows, lead clinical product safety, and deliver education to staff about using AI technologies. Line manages a team of specialist digital health nurses within the trust.",
        foundational_course: ("Nursing undergraduate degree that included a foundational AI education programme as part of curricula.", 1083),
        source_lines: (1069, 1088),
    },
    Persona {
        slug: "driver-persona-2",
        name: "Driver Persona 2",
        archetype: "Driver",
        role: "Chief Data officer (CDO) - Linchester IC",
        responsibilities: "Sits on the Linchester ICS board. Leads the data strategy within the ICS, including the storage and management of patient data, data security and privacy, data interoperability and the management of the ICS Trusted Research Environment (TRE) that is accessed by academics and innovators to conduct research and product development. Has a key role in the procurement of AI technologies for the ICS with a particular focus on requirements for data and interoperability. Collaborates with, and oversees, Creators and Embedders within the trust to evaluate potential technologies, implement AI and undertake ongoing monitoring and research. Represents all ICS data scientists and NHS analysts at ICS board level and ensures they have appropriate resources and training opportunities.",
        foundational_course: ("Completed further self-directed modules on AI-related content.", 1106),
        source_lines: (1089, 1108),
    },
    Persona {
        slug: "creator-persona-1",
        name: "Creator Persona 1",
        archetype: "Creator",
        role: "Clinical scientist: Data scientist and AI - Linchester IC",
        responsibilities: "Co-creates AI algorithms with Embedders, Users and industry partners at Nymouth ICS. Takes an active role in the design and validation of AI algorithms during product development and subsequent releases. Evaluates AI in terms of performance and clinical impact. Sets up and maintains pathways for the ongoing monitoring of technologies within the trust.",
        foundational_course: ("Completed clinical scientist training in clinical informatics that incorporated a foundational AI education programme and specialised modules for Creators.", 1126),
        source_lines: (1109, 1128),
    },
    Persona {
        slug: "creator-persona-2",
        name: "Creator Persona 2",
        archetype: "Creator",
        role: "Consultant dermatologist with digital health specialist interest - Nymouth ICS",
        responsibilities: "Co-creates dermatology AI algorithms with the Embedders, and industry partners at Nymouth ICS. Takes an active role in the clinical UX design of AI products ensuring they are user friendly and add value for clinicians and patients. Assesses and guides how best to integrate AI technology into clinical workflows. Conducts prospective clinical evaluation of AI products comparing them to existing best practice. Analyses the impact of AI outputs on clinician decision making to guide product development. Undertakes clinical validation of AI algorithms alongside Embedders. Evaluates AI in terms of performance and clinical impact.",
        foundational_course: ("Undertook foundational AI training through an online self-paced course when AI products were first deployed in the trust dermatology department. This was accompanied by product-specific training led by the ICS Embedder team.", 1145),
        source_lines: (1129, 1148),
    },
    Persona {
        slug: "embedder-persona-1",
        name: "Embedder Persona 1",
        archetype: "Embedder",
        role: "Clinical associate specialist in renal medicine & Digital Health - Nymouth ICS",
        responsibilities: "Works as part of the AI MDT at Nymouth ICS alongside work as a renal clinician. Undertakes clinical evaluation of AI technologies including running prospective clinical trials of AI products. Ensures AI technologies are appropriately integrated into clinical workflows. Conducts ongoing clinical surveillance of live technologies within the trust. Produces and delivers clinician-facing product-specific AI educational material.",
        foundational_course: ("Achieved a set of competencies through this training programme counting towards a PG diploma in clinical informatics and data science supplemented by additional study on a remote learning platform.", 1165),
        source_lines: (1149, 1166),
    },
    Persona {
        slug: "embedder-persona-2",
        name: "Embedder Persona 2",
        archetype: "Embedder",
        role: "Clinical Scientist: Clinical informatics - Nymouth ICS",
        responsibilities: "Works as part of the Embedder team at Nymouth ICS. Undertakes evaluation of AI technologies including running local validation using ICS patient data and clinical trials of AI products. Ensures AI technologies are appropriately integrated into existing software and data systems. Conducts ongoing clinical surveillance of live technologies within the trust.",
        foundational_course: ("Via the equivalence progression in-service training route, completed the Scientific Training Programme (STP) in clinical bioinformatics, including a foundational AI education programme and specialised modules that covered requirements for Embedders.", 1182),
        source_lines: (1167, 1184),
    },
    Persona {
        slug: "user-persona-1",
        name: "User Persona 1",
        archetype: "User",
        role: "A&E triage nurse - Nymouth ICS",
        responsibilities: "Triages patients, attending A&E assisted with an AI triage tool. Weighs up triage information for AI against other clinical information and acts appropriately when the AI assessment contradicts other clinical intuition. Flags safety concerns when AI-derived predictions are inconsistent with clinical expectations",
        foundational_course: ("Undertook foundational AI education programme on an online platform.", 1201),
        source_lines: (1185, 1204),
    },
    Persona {
        slug: "user-persona-2",
        name: "User Persona 2",
        archetype: "User",
        role: "Consultant radiologist - Nymouth ICS",
        responsibilities: "Uses AI tools including tools to triage the reporting worklist and tools to support clinical decision making and imaging interpretation for radiology reporting. Flags safety concerns when AI-derived predictions are inconsistent with clinical expectations. Supports clinical audit for ongoing monitoring of AI tools. Participates in user research led by product developers to inform improvements and updates to AI products.",
        foundational_course: ("As a consultant, undertook foundational AI training through an online self-paced course.", 1221),
        source_lines: (1205, 1224),
    },
    Persona {
        slug: "user-persona-3",
        name: "User Persona 3",
        archetype: "User",
        role: "Practice manager - Holpot Hill GP practice",
        responsibilities: "Manages and analyses insights from AI products used in the practice. Aware of safety reporting processes and back up pathways if the AI fails.",
        foundational_course: ("When the PCN decided to collectively implement AI solutions to improve patient appointment booking, all staff were supported to undertake the foundational AI education course using the self-paced online course on the NHS learning platform.", 1240),
        source_lines: (1225, 1241),
    },
];

/// How many statements of a pathway a persona has evidence for, in each state; statements
/// are taken in the framework's order: attested first, then rejected, submitted, drafts.
#[derive(Clone, Copy)]
struct Counts {
    attested: usize,
    rejected: usize,
    submitted: usize,
    drafts: usize,
}

const fn counts(attested: usize, rejected: usize, submitted: usize, drafts: usize) -> Counts {
    Counts {
        attested,
        rejected,
        submitted,
        drafts,
    }
}

const NONE: Counts = counts(0, 0, 0, 0);
/// Every foundational statement attested (Table 1 has 30).
const ALL: Counts = counts(usize::MAX, 0, 0, 0);

/// A persona's evidence: where it is submitted, and how far each pathway has come.
struct EvidencePlan {
    persona: &'static str,
    /// The organisation whose assessors review it.
    org: &'static str,
    foundational: Counts,
    /// Towards the advanced pathway of the persona's archetype.
    advanced: Counts,
    /// Every statement of the product-specific pathway (Table 2), for tri-X.
    tri_x: bool,
    /// Whether the persona publishes a portfolio.
    public: bool,
}

const PLANS: [EvidencePlan; 11] = [
    EvidencePlan {
        persona: "shaper-persona-1",
        org: ACCREDITOR,
        foundational: counts(12, 0, 3, 0),
        advanced: counts(3, 0, 1, 1),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "shaper-persona-2",
        org: ACCREDITOR,
        foundational: counts(6, 1, 2, 2),
        advanced: counts(0, 0, 0, 1),
        tri_x: false,
        public: false,
    },
    EvidencePlan {
        persona: "driver-persona-1",
        org: LINCHESTER,
        foundational: ALL,
        advanced: counts(4, 0, 2, 1),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "driver-persona-2",
        org: LINCHESTER,
        foundational: ALL,
        advanced: counts(2, 0, 0, 0),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "creator-persona-1",
        org: LINCHESTER,
        foundational: ALL,
        advanced: counts(5, 0, 1, 0),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "creator-persona-2",
        org: NYMOUTH,
        foundational: counts(14, 0, 2, 2),
        advanced: counts(0, 0, 0, 2),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "embedder-persona-1",
        org: NYMOUTH,
        foundational: ALL,
        advanced: counts(4, 0, 1, 0),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "embedder-persona-2",
        org: NYMOUTH,
        foundational: ALL,
        advanced: counts(2, 0, 0, 0),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "user-persona-1",
        org: NYMOUTH,
        foundational: ALL,
        advanced: counts(3, 0, 1, 1),
        tri_x: false,
        public: true,
    },
    EvidencePlan {
        persona: "user-persona-2",
        org: NYMOUTH,
        foundational: ALL,
        advanced: counts(3, 0, 0, 0),
        tri_x: true,
        public: true,
    },
    EvidencePlan {
        persona: "user-persona-3",
        org: HOLPOT_HILL,
        foundational: counts(12, 0, 2, 2),
        advanced: NONE,
        tri_x: false,
        public: false,
    },
];

/// An achievement a demo organisation publishes.
struct DemoAchievement {
    key: &'static str,
    org: &'static str,
    pathway: &'static str,
    name: &'static str,
    /// The product's version, for tri-X.
    tri_x_version: Option<&'static str>,
    validity_days: Option<i64>,
    /// Whether its awards can be suspended (and so carry two status entries).
    suspendable: bool,
}

const ACHIEVEMENTS: [DemoAchievement; 5] = [
    DemoAchievement {
        key: "linchester-foundational",
        org: LINCHESTER,
        pathway: "foundational",
        name: "Foundational AI education (Linchester ICS, demo)",
        tri_x_version: None,
        validity_days: None,
        suspendable: false,
    },
    DemoAchievement {
        key: "nymouth-foundational",
        org: NYMOUTH,
        pathway: "foundational",
        name: "Foundational AI education (Nymouth ICS, demo)",
        tri_x_version: None,
        validity_days: None,
        suspendable: false,
    },
    // The one achievement whose awards can be suspended: it shows what suspension looks
    // like, and what it costs (a second status entry, outside the Open Badges 3.0 schema).
    DemoAchievement {
        key: "nymouth-foundational-suspendable",
        org: NYMOUTH,
        pathway: "foundational",
        name: "Foundational AI education, suspendable (Nymouth ICS, demo)",
        tri_x_version: None,
        validity_days: None,
        suspendable: true,
    },
    DemoAchievement {
        key: "tri-x-1",
        org: TRIADIX,
        pathway: "product-specific",
        name: "Product-specific AI training: tri-X 1.0 (demo)",
        tri_x_version: Some("1.0"),
        validity_days: Some(365),
        suspendable: false,
    },
    DemoAchievement {
        key: "tri-x-2",
        org: TRIADIX,
        pathway: "product-specific",
        name: "Product-specific AI training: tri-X 2.0 (demo)",
        tri_x_version: Some("2.0"),
        validity_days: Some(365),
        suspendable: false,
    },
];

/// What becomes of an award after it is issued.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Valid,
    Revoked,
    Suspended,
    /// Issued with a `validFrom` far enough in the past that its validity has ended.
    Expired,
}

struct DemoAward {
    /// The idempotency key, unique in the issuing organisation.
    key: &'static str,
    achievement: &'static str,
    persona: &'static str,
    fate: Fate,
}

/// When the expired award was issued: its achievement is valid for 365 days, so it expired
/// in 2025.
const EXPIRED_VALID_FROM: &str = "2024-09-02T09:00:00Z";
const REVOKE_REASON: &str =
    "Demo data: revoked to show how a revoked credential looks to its holder and to a verifier.";
const SUSPEND_REASON: &str = "Demo data: suspended to show how a suspended credential looks to its holder and to a verifier.";

const AWARDS: [DemoAward; 9] = [
    DemoAward {
        key: "demo-driver-persona-1-foundational",
        achievement: "linchester-foundational",
        persona: "driver-persona-1",
        fate: Fate::Valid,
    },
    DemoAward {
        key: "demo-driver-persona-2-foundational",
        achievement: "linchester-foundational",
        persona: "driver-persona-2",
        fate: Fate::Revoked,
    },
    DemoAward {
        key: "demo-creator-persona-1-foundational",
        achievement: "linchester-foundational",
        persona: "creator-persona-1",
        fate: Fate::Valid,
    },
    DemoAward {
        key: "demo-embedder-persona-1-foundational",
        achievement: "nymouth-foundational",
        persona: "embedder-persona-1",
        fate: Fate::Valid,
    },
    DemoAward {
        key: "demo-embedder-persona-2-foundational",
        achievement: "nymouth-foundational-suspendable",
        persona: "embedder-persona-2",
        fate: Fate::Suspended,
    },
    DemoAward {
        key: "demo-user-persona-1-foundational",
        achievement: "nymouth-foundational",
        persona: "user-persona-1",
        fate: Fate::Valid,
    },
    DemoAward {
        key: "demo-user-persona-2-foundational",
        achievement: "nymouth-foundational",
        persona: "user-persona-2",
        fate: Fate::Valid,
    },
    DemoAward {
        key: "demo-user-persona-2-tri-x-1",
        achievement: "tri-x-1",
        persona: "user-persona-2",
        fate: Fate::Expired,
    },
    DemoAward {
        key: "demo-user-persona-2-tri-x-2",
        achievement: "tri-x-2",
        persona: "user-persona-2",
        fate: Fate::Valid,
    },
];

/// The report's lines on User Persona 2's product-specific training.
const PRODUCT_TRAINING: [(&str, u32); 2] = [
    ("Participated in product-specific training led by the ICS Embedder team when each radiology AI product was introduced.", 1222),
    ("Undertook ongoing product-specific education as AI products are updated.", 1223),
];

/// The report's example responsibilities of Shapers in the tri-X case study.
const SHAPER_TRI_X: [(&str, u32); 10] = [
    ("Create the AI development standards including AI product development, data security and information governance that are followed by the tri-X developers at Triadix and Linchester ICS", 645),
    ("Create the regulatory framework used to classify and appraise tri-X", 646),
    ("Produce evidence and validation standards used to evaluate tri-X", 647),
    ("Develop guidelines for conducting clinical trials of AI products", 648),
    ("Develop clinical guidelines for the use of tri-X", 650),
    ("Determine the NHS deployment strategy used in the national roll out of tri-X", 651),
    ("Develop national procurement guidelines and frameworks used to purchase tri-X", 652),
    ("Professionally regulate clinicians involved in developing, validating and using tri-X", 653),
    ("Regulate healthcare settings using AI products used to assess the settings deploying tri-X", 654),
    ("Produce guidance on liability to educate those deploying and using tri-X", 655),
];

/// The report's example responsibilities of Drivers at Linchester ICS in the tri-X case study.
const DRIVER_LINCHESTER: [(&str, u32); 10] = [
    ("Advocate for budget for digital health/AI development at Linchester ICS", 665),
    ("Decide on the ICS strategy for co-creation projects including commissioning arrangements for commercial partners, financial agreements, data sharing arrangements", 666),
    ("Ensure the ICS workforce plan addresses data and technical skills and roles", 667),
    ("Establish an ICS AI multi-disciplinary team (MDT) consisting of clinical specialists, data scientists, clinical scientists, regulatory and safety teams to work on AI co-creation projects", 668),
    ("Create a process for the selection and prioritisation of AI projects within the ICS", 669),
    ("Establish pathways and infrastructure for piloting and clinically evaluating AI products within the ICS", 670),
    ("Commission Triadix as a commercial partner to co-create tri-X", 671),
    ("Formulate an intellectual property agreement with Triadix", 672),
    ("Formulate a commercial commissioning agreement for the wider roll out of tri-X", 673),
    ("Ensure that appropriate regulatory standards are being adhered to when creating tri-X and the product development aligns with appropriate guidelines", 674),
];

/// The report's example responsibilities of Creators at Linchester ICS and Triadix in the
/// tri-X case study.
const CREATOR_LINCHESTER: [(&str, u32); 8] = [
    ("Undertake problem discovery sessions with numerous stakeholders, map out workflows and explore the clinical issue to be solved by tri-X", 689),
    ("Ensure that there is an appropriate data set available to address the problem, evaluating the data for potential bias and generalisability", 690),
    ("Work within an AI MDT alongside Triadix to create the tri-X AI model", 691),
    ("Co-create tri-X with users. Conduct regular user research sessions to get feedback on how to improve the product and add value to users", 692),
    ("Ensure tri-X aligns with safety and regulatory standards working closely with Linchester ICS safety and regulatory team from the outset", 693),
    ("Test the algorithm using internal and external validation methods, iterating and improving the model until accepted accuracy and safety levels are reached (alongside Embedders)", 695),
    ("Conduct prospective clinical studies of tri-X in line with Linchester ICS requirements and national evidence standards to demonstrate efficacy (alongside Embedders)", 696),
    ("Conduct post market follow up to assess and monitor performance, and act upon any model drift (alongside Embedders)", 697),
];

/// The report's example responsibilities of Embedders at Nymouth ICS in the tri-X case study.
const EMBEDDER_NYMOUTH: [(&str, u32); 10] = [
    ("Lead the technical implementation of tri-X including systems integration and information governance", 707),
    ("Conduct a clinical safety review of tri-X and ensures there are appropriate protocols in place for systems failure and for reporting errors", 708),
    ("Review and critically appraise the internal and external validation results for tri-X", 709),
    ("Review and critically appraise prospective clinical studies of tri-X", 710),
    ("Evaluate the need for local product validation, and conduct this analysis if required", 711),
    ("Assess the regulatory compliance of tri-X", 712),
    ("Advise ICS Drivers regarding AI product procurement decisions", 713),
    ("Advise on, and assist with, the systems change processes involved in the introduction of tri-X", 714),
    ("Create and deliver product-specific user education for tri-X both independently and through collaboration with Triadix. Continue to deliver education and training updates to address product iterations", 715),
    ("Provide advice and support for users of tri-X", 716),
];

/// The report's example responsibilities of Users of tri-X in its case study.
const USER_TRI_X: [(&str, u32); 7] = [
    ("Use tri-X (as a radiographer or radiologist within Linchester ICS and Nymouth ICS) to prioritise X-rays for review", 724),
    ("Undertake appropriate product-specific user training for tri-X and keeps this up to date", 725),
    ("Use tri-X in accordance with clinical guidelines and guidance from professional regulators", 726),
    ("Identify and act upon situations in which tri-X may be prone to error, overriding tri-X decisions where appropriate.", 727),
    ("Use tri-X to prioritise cases appropriately, with awareness of the potential for bias in the human-AI interaction for clinical decision making", 728),
    ("Action fall-back clinical pathways if the tri-X product fails", 729),
    ("Report suspected errors and any safety concerns identified when using tri-X", 730),
];

/// The responsibilities of the tri-X case study that a persona's advanced evidence is
/// about: those of their archetype in their organisation, where the case study has them.
fn case_study(persona: &str) -> &'static [(&'static str, u32)] {
    match persona {
        "shaper-persona-1" | "shaper-persona-2" => &SHAPER_TRI_X,
        "driver-persona-1" | "driver-persona-2" => &DRIVER_LINCHESTER,
        "creator-persona-1" => &CREATOR_LINCHESTER,
        "embedder-persona-1" | "embedder-persona-2" => &EMBEDDER_NYMOUTH,
        _ => &[],
    }
}

/// The persona who attests User Persona 2's tri-X evidence: in the report, Embedder
/// Persona 1 "Produces and delivers clinician-facing product-specific AI educational
/// material" at Nymouth ICS.
const TRI_X_ASSESSOR: &str = "embedder-persona-1";

fn email(local: &str) -> String {
    format!("{local}@{DEMO_DOMAIN}")
}

fn persona(slug: &str) -> Result<&'static Persona, ServiceError> {
    PERSONAS
        .iter()
        .find(|p| p.slug == slug)
        .ok_or_else(|| ServiceError::internal(format!("the demo has no persona {slug}")))
}

/// Every demo account a newcomer may sign in as (with [`DEMO_PASSWORD`]): the eleven
/// personas first, then the organisations' staff.
pub fn demo_logins() -> Vec<DemoLogin> {
    let personas = PERSONAS.iter().map(|p| DemoLogin {
        email: email(p.slug),
        display_name: p.name.to_owned(),
        label: p.archetype.to_owned(),
        summary: p.role.to_owned(),
    });
    let staff = STAFF.iter().map(|s| DemoLogin {
        email: email(s.local),
        display_name: s.display_name.to_owned(),
        label: s.label.to_owned(),
        summary: format!(
            "{} {}.",
            match s.roles {
                [Role::Assessor] => "Reviews the evidence submitted to",
                [Role::Admin] => "Manages the members of",
                _ => "Publishes achievements and awards credentials for",
            },
            ORGS.iter()
                .find(|o| o.slug == s.org)
                .map_or(s.org, |o| o.name)
        ),
    });
    personas.chain(staff).collect()
}

/// The staff account of `org` holding `role`.
fn staff_of(org: &str, role: Role) -> Result<&'static str, ServiceError> {
    STAFF
        .iter()
        .find(|s| s.org == org && s.roles.contains(&role))
        .map(|s| s.local)
        .ok_or_else(|| ServiceError::internal(format!("the demo has no {role} at {org}")))
}

/// Where a piece of demo evidence ends up.
#[derive(Clone)]
enum Target {
    Draft,
    Submitted,
    Attested(LevelCode),
    Rejected(&'static str),
}

const REJECTION: &str = "Demo data: the narrative does not say which part of the course covered this statement. Record it again naming the module, and submit it anew.";

/// One piece of demo evidence, before it is recorded.
struct Item {
    statement: Statement,
    kind: &'static str,
    narrative: String,
    date: chrono::NaiveDate,
    provider: Option<String>,
    claimed: LevelCode,
    target: Target,
    /// The organisation it is submitted to, and the account that decides it.
    org: &'static str,
    assessor: &'static str,
    /// A small text file attached before it is submitted.
    attachment: Option<(&'static str, &'static str)>,
}

/// The level `steps` ranks above the statement's required level, in its taxonomy (the
/// highest level when there are not so many).
fn level_above(framework: &Framework, statement: &Statement, steps: usize) -> Option<LevelCode> {
    let required = statement.level.as_ref()?;
    let taxonomy = framework
        .document()
        .taxonomies
        .iter()
        .find(|t| t.code == statement.taxonomy)?;
    let mut levels: Vec<_> = taxonomy.levels.iter().collect();
    levels.sort_by_key(|l| l.rank);
    let at = levels.iter().position(|l| &l.code == required)?;
    let to = (at + steps).min(levels.len().saturating_sub(1));
    Some(levels[to].code.clone())
}

/// The state of the `i`-th statement of a pathway under `counts`, or none when the persona
/// has no evidence for it.
fn target_of(i: usize, counts: Counts, confirmed: &LevelCode) -> Option<Target> {
    let rejected = counts.attested.saturating_add(counts.rejected);
    let submitted = rejected.saturating_add(counts.submitted);
    let drafts = submitted.saturating_add(counts.drafts);
    if i < counts.attested {
        Some(Target::Attested(confirmed.clone()))
    } else if i < rejected {
        Some(Target::Rejected(REJECTION))
    } else if i < submitted {
        Some(Target::Submitted)
    } else if i < drafts {
        Some(Target::Draft)
    } else {
        None
    }
}

fn day(start: (i32, u32, u32), offset: usize) -> Result<chrono::NaiveDate, ServiceError> {
    chrono::NaiveDate::from_ymd_opt(start.0, start.1, start.2)
        .and_then(|d| d.checked_add_days(chrono::Days::new(offset as u64)))
        .ok_or_else(|| ServiceError::internal("a demo date is out of range"))
}

const ADVANCED_KINDS: [&str; 5] = [
    "workplace-observation",
    "reflective-account",
    "project",
    "cpd-activity",
    "assessment",
];

/// The evidence of one persona, in a fixed order.
fn items(framework: &Framework, plan: &EvidencePlan) -> Result<Vec<Item>, ServiceError> {
    let who = persona(plan.persona)?;
    let assessor = staff_of(plan.org, Role::Assessor)?;
    let code = |text: &str| {
        PathwayCode::new(text)
            .map_err(|e| ServiceError::internal_from(format!("pathway {text}"), e))
    };
    let mut out = Vec::new();
    let foundational = code("foundational")?;
    let statements = framework
        .pathway_statements(&foundational)
        .filter(|s| s.level.is_some());
    for (i, statement) in statements.enumerate() {
        let Some(required) = statement.level.clone() else {
            continue;
        };
        // Every fifth claim is a level higher and confirmed so; every seventh is a level
        // higher and confirmed only at the required level.
        let (claimed, confirmed) = if i % 5 == 4 {
            let above = level_above(framework, statement, 1).unwrap_or(required.clone());
            (above.clone(), above)
        } else if i % 7 == 6 {
            let above = level_above(framework, statement, 1).unwrap_or(required.clone());
            (above, required)
        } else {
            (required.clone(), required)
        };
        let Some(target) = target_of(i, plan.foundational, &confirmed) else {
            continue;
        };
        let (course, line) = who.foundational_course;
        out.push(Item {
            statement: statement.clone(),
            kind: "course-completion",
            narrative: format!(
                "Foundational AI education. From the report's {} (line {line}): \"{course}\" Demo data.",
                who.name
            ),
            date: day((2025, 2, 3), i)?,
            provider: None,
            claimed,
            target,
            org: plan.org,
            assessor,
            attachment: None,
        });
    }
    let advanced = code(&format!("advanced-{}", who.archetype.to_lowercase()))?;
    let statements = framework
        .pathway_statements(&advanced)
        .filter(|s| s.level.is_some());
    for (i, statement) in statements.enumerate() {
        let Some(required) = statement.level.clone() else {
            continue;
        };
        // Every third skill is claimed and confirmed a level higher (proficiency).
        let claimed = if statement.taxonomy.as_str() == "skill" && i % 3 == 2 {
            level_above(framework, statement, 1).unwrap_or(required)
        } else {
            required
        };
        let Some(target) = target_of(i, plan.advanced, &claimed) else {
            continue;
        };
        let kind = ADVANCED_KINDS[i % ADVANCED_KINDS.len()];
        let what = match kind {
            "workplace-observation" => "Observed at work",
            "reflective-account" => "A reflective account of work",
            "project" => "A project",
            "cpd-activity" => "Continuing professional development",
            _ => "Assessed",
        };
        let cases = case_study(plan.persona);
        let narrative = match cases.get(i % cases.len().max(1)) {
            Some((text, line)) => format!(
                "{what}, on a {} responsibility of the report's fictional tri-X case study (line {line}): \"{text}\" Demo data.",
                who.archetype
            ),
            None => format!(
                "{what} in the role the report gives {} ({}, lines {}-{}): \"{}\" Demo data.",
                who.name, who.role, who.source_lines.0, who.source_lines.1, who.responsibilities
            ),
        };
        out.push(Item {
            statement: statement.clone(),
            kind,
            narrative,
            date: day((2025, 6, 2), i)?,
            provider: None,
            claimed,
            target,
            org: plan.org,
            assessor,
            attachment: None,
        });
    }
    if plan.tri_x {
        let product = code("product-specific")?;
        for (i, statement) in framework.pathway_statements(&product).enumerate() {
            let Some(required) = statement.level.clone() else {
                continue;
            };
            let (text, line) = PRODUCT_TRAINING[i % PRODUCT_TRAINING.len()];
            let (duty, duty_line) = USER_TRI_X[i % USER_TRI_X.len()];
            out.push(Item {
                statement: statement.clone(),
                kind: if i % 4 == 3 { "assessment" } else { "course-completion" },
                narrative: format!(
                    "Product-specific training for tri-X at Nymouth ICS. From the report's {} (line {line}): \"{text}\" It prepares for a User responsibility of the report's tri-X case study (line {duty_line}): \"{duty}\" Demo data.",
                    who.name
                ),
                date: day((2024, 8, 5), i / 4)?,
                provider: Some("Nymouth ICS AI MDT (demo)".into()),
                claimed: required.clone(),
                target: Target::Attested(required),
                org: NYMOUTH,
                assessor: TRI_X_ASSESSOR,
                attachment: (i == 0).then_some((
                    "tri-x-training-record.txt",
                    "Demo data: a fictional record of product-specific training on tri-X at Nymouth ICS. It is not a real document.\n",
                )),
            });
        }
    }
    Ok(out)
}

impl Registry {
    /// Seeds the demo world (`credence serve --demo`) through the ordinary use cases, as
    /// the operator and as the demo accounts. What already exists is left alone, so a second
    /// run changes nothing; `progress` is told each stage.
    #[tracing::instrument(level = "info", skip_all)]
    pub async fn seed_demo(
        &self,
        operator: &OperatorPower,
        mut progress: impl FnMut(&str),
    ) -> Result<DemoSummary, ServiceError> {
        let mut summary = DemoSummary::default();
        progress("organisations and their staff");
        self.seed_orgs(operator, &mut summary).await?;
        let accounts = self.seed_accounts(operator, &mut summary).await?;
        progress("accreditations and achievements");
        self.seed_accreditations(&accounts, &mut summary).await?;
        let achievements = self.seed_achievements(&accounts, &mut summary).await?;
        progress("evidence of the eleven personas");
        let framework = Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .map_err(ServiceError::wrap("reading the bundled framework"))?;
        for plan in &PLANS {
            self.seed_evidence(&framework, plan, &accounts, &mut summary)
                .await?;
        }
        progress("awards");
        self.seed_awards(&accounts, &achievements, &mut summary)
            .await?;
        progress("portfolios");
        self.seed_portfolios(&framework, &accounts, &mut summary)
            .await?;
        Ok(summary)
    }

    async fn seed_orgs(
        &self,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        for org in &ORGS {
            match self.org(org.slug).await {
                Ok(_) => continue,
                Err(ServiceError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
            self.create_org(
                operator,
                NewOrg {
                    slug: org.slug.into(),
                    name: org.name.into(),
                    kind: org.kind,
                    did_method: DidMethod::Web,
                    url: None,
                    description: Some(format!("{FICTIONAL} {}", org.about)),
                },
            )
            .await?;
            summary.organisations += 1;
        }
        // Trusting a trusted body again changes nothing.
        self.trust_body(operator, ACCREDITOR, true).await
    }

    /// Makes the demo accounts and their roles; returns account ids by e-mail local part.
    async fn seed_accounts(
        &self,
        operator: &OperatorPower,
        summary: &mut DemoSummary,
    ) -> Result<HashMap<&'static str, String>, ServiceError> {
        let people = STAFF
            .iter()
            .map(|s| (s.local, s.display_name))
            .chain(PERSONAS.iter().map(|p| (p.slug, p.name)));
        let mut ids = HashMap::new();
        for (local, display_name) in people {
            let address = email(local);
            let id = match self.account_by_email(&address).await? {
                Some(account) => account.id,
                None => {
                    summary.accounts += 1;
                    self.create_account_as_operator(
                        operator,
                        NewAccount {
                            email: address,
                            display_name: display_name.into(),
                            password: Password::new(DEMO_PASSWORD.into()),
                        },
                        false,
                    )
                    .await?
                    .id
                }
            };
            ids.insert(local, id);
        }
        let roles = STAFF
            .iter()
            .flat_map(|s| s.roles.iter().map(move |r| (s.org, s.local, *r)))
            .chain([(NYMOUTH, TRI_X_ASSESSOR, Role::Assessor)]);
        for (slug, local, role) in roles {
            let org = self.org(slug).await?;
            let admin = operator.admin_of(&org);
            let address = email(local);
            let members = self.members(&admin).await?;
            if members
                .iter()
                .any(|m| m.email == address && m.role == role.as_str())
            {
                continue;
            }
            self.add_member(&admin, &address, role).await?;
            summary.memberships += 1;
        }
        Ok(ids)
    }

    /// The issuer role of a demo organisation, as its issuer account.
    async fn demo_issuer(
        &self,
        accounts: &HashMap<&'static str, String>,
        slug: &str,
    ) -> Result<crate::actor::Issuer, ServiceError> {
        let org = self.org(slug).await?;
        let local = staff_of(slug, Role::Issuer)?;
        self.demo_actor(accounts, local).await?.issuer(&org)
    }

    async fn demo_actor(
        &self,
        accounts: &HashMap<&'static str, String>,
        local: &str,
    ) -> Result<crate::Actor, ServiceError> {
        let id = accounts
            .get(local)
            .ok_or_else(|| ServiceError::internal(format!("no demo account {local}")))?;
        self.account_actor(id).await
    }

    async fn demo_holder(
        &self,
        accounts: &HashMap<&'static str, String>,
        local: &str,
    ) -> Result<Holder, ServiceError> {
        self.demo_actor(accounts, local).await?.holder()
    }

    async fn seed_accreditations(
        &self,
        accounts: &HashMap<&'static str, String>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let body = self.demo_issuer(accounts, ACCREDITOR).await?;
        let (given, _) = self.accreditations(ACCREDITOR).await?;
        for (provider, pathway) in [
            (LINCHESTER, "foundational"),
            (NYMOUTH, "foundational"),
            (TRIADIX, "product-specific"),
        ] {
            if given
                .iter()
                .any(|a| a.provider == provider && a.status == AccreditationStatus::Active)
            {
                continue;
            }
            self.accredit(&body, provider, &[pathway.to_owned()])
                .await?;
            summary.accreditations += 1;
        }
        Ok(())
    }

    /// Publishes the demo achievements; returns their uuids by key.
    async fn seed_achievements(
        &self,
        accounts: &HashMap<&'static str, String>,
        summary: &mut DemoSummary,
    ) -> Result<HashMap<&'static str, String>, ServiceError> {
        let mut ids = HashMap::new();
        for a in &ACHIEVEMENTS {
            let existing = self
                .achievements(a.org)
                .await?
                .into_iter()
                .find(|v| v.name == a.name && v.pathway == a.pathway);
            let uuid = match existing {
                Some(view) => view.uuid,
                None => {
                    let issuer = self.demo_issuer(accounts, a.org).await?;
                    let org_name = ORGS
                        .iter()
                        .find(|o| o.slug == a.org)
                        .map_or(a.org, |o| o.name);
                    let description = match a.tri_x_version {
                        Some(version) => format!(
                            "Demo data: product-specific AI training (Table 2 of the report) for tri-X {version}, the chest X-ray triage product of the report's fictional case study: \"{TRI_X_SUMMARY}\" (line 637). Before procuring tri-X, its Drivers answer the questions of Table A3 (the framework's question set driver-procurement); before deploying it, its Embedders answer those of Table A6 (embedder-deployment). The report names no versions of tri-X: 1.0 and 2.0 are the demo's own, to show that training is refreshed when the product changes."
                        ),
                        None if a.suspendable => format!(
                            "Demo data: the badge of {org_name}, a fictional organisation of the report's case studies, for the foundational pathway (Table 1 of the report): attested evidence of each of its competency statements. Its awards can be suspended as well as revoked, so each carries a second status entry (suspension), which the Open Badges 3.0 schema does not allow: strict Open Badges validators refuse these credentials, although they verify."
                        ),
                        None => format!(
                            "Demo data: the badge of {org_name}, a fictional organisation of the report's case studies, for the foundational pathway (Table 1 of the report): attested evidence of each of its competency statements."
                        ),
                    };
                    summary.achievements += 1;
                    self.create_achievement(
                        &issuer,
                        NewAchievement {
                            pathway: a.pathway.into(),
                            framework: Some(DEFAULT_FRAMEWORK.into()),
                            name: Some(a.name.into()),
                            description: Some(description),
                            validity_days: a.validity_days,
                            product: a.tri_x_version.map(|version| Product {
                                name: "tri-X".into(),
                                version: version.into(),
                            }),
                            suspendable: a.suspendable,
                        },
                    )
                    .await?
                    .uuid
                }
            };
            ids.insert(a.key, uuid);
        }
        Ok(ids)
    }

    /// Records, submits and decides one persona's evidence, taking each piece from where it
    /// stands (by statement) to where the plan puts it.
    async fn seed_evidence(
        &self,
        framework: &Framework,
        plan: &EvidencePlan,
        accounts: &HashMap<&'static str, String>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let holder = self.demo_holder(accounts, plan.persona).await?;
        let existing: HashMap<String, EvidenceView> = self
            .holder_evidence(&holder, Page::new(0, Page::MAX_LIMIT))
            .await?
            .into_iter()
            .map(|e| (e.statement.clone(), e))
            .collect();
        let mut assessors: HashMap<&str, crate::Actor> = HashMap::new();
        for item in items(framework, plan)? {
            let (id, mut status) = match existing.get(item.statement.code.as_str()) {
                Some(view) => (view.id.clone(), view.status),
                None => {
                    let detail = self
                        .record_evidence(
                            &holder,
                            EvidenceInput {
                                kind: item.kind.into(),
                                narrative: item.narrative.clone(),
                                date: item.date.format("%Y-%m-%d").to_string(),
                                provider: item.provider.clone(),
                                framework: DEFAULT_FRAMEWORK.into(),
                                framework_version: None,
                                statement: item.statement.code.to_string(),
                                level: item.claimed.to_string(),
                            },
                        )
                        .await?;
                    summary.evidence_steps += 1;
                    (detail.evidence.id, detail.evidence.status)
                }
            };
            if status == EvidenceStatus::Draft {
                if let Some((file_name, text)) = item.attachment {
                    let detail = self.evidence_detail(&holder, &id).await?;
                    if detail.attachments.is_empty() {
                        self.add_attachment(
                            &holder,
                            &id,
                            file_name,
                            Some("text/plain"),
                            text.as_bytes().to_vec(),
                        )
                        .await?;
                        summary.evidence_steps += 1;
                    }
                }
                if !matches!(item.target, Target::Draft) {
                    status = self
                        .submit_evidence(&holder, &id, item.org)
                        .await?
                        .evidence
                        .status;
                    summary.evidence_steps += 1;
                }
            }
            let decision = match &item.target {
                Target::Attested(level) => DecisionInput {
                    decision: "attest".into(),
                    level: Some(level.to_string()),
                    comment: None,
                },
                Target::Rejected(comment) => DecisionInput {
                    decision: "reject".into(),
                    level: None,
                    comment: Some((*comment).into()),
                },
                Target::Draft | Target::Submitted => continue,
            };
            if status != EvidenceStatus::Submitted {
                continue;
            }
            let assessor = match assessors.get(item.assessor) {
                Some(actor) => actor.clone(),
                None => {
                    let actor = self.demo_actor(accounts, item.assessor).await?;
                    assessors.insert(item.assessor, actor.clone());
                    actor
                }
            };
            self.decide_evidence(&assessor, &id, decision).await?;
            summary.evidence_steps += 1;
        }
        Ok(())
    }

    /// Issues the demo awards (by idempotency key), then revokes, suspends and publishes them
    /// as planned.
    async fn seed_awards(
        &self,
        accounts: &HashMap<&'static str, String>,
        achievements: &HashMap<&'static str, String>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let mut issued: HashMap<&'static str, String> = HashMap::new();
        for a in &AWARDS {
            let spec = ACHIEVEMENTS
                .iter()
                .find(|x| x.key == a.achievement)
                .ok_or_else(|| {
                    ServiceError::internal(format!("no demo achievement {}", a.achievement))
                })?;
            let uuid = achievements.get(a.achievement).ok_or_else(|| {
                ServiceError::internal(format!("no demo achievement {}", a.achievement))
            })?;
            let issuer = self.demo_issuer(accounts, spec.org).await?;
            // The second tri-X award renews the first: the product changed, and so did the
            // training.
            let renews = (a.achievement == "tri-x-2")
                .then(|| issued.get("demo-user-persona-2-tri-x-1").cloned())
                .flatten();
            let outcome = self
                .award(
                    &issuer,
                    NewAward {
                        achievement: uuid.clone(),
                        email: email(a.persona),
                        name: None,
                        override_justification: None,
                        valid_from: (a.fate == Fate::Expired).then(|| EXPIRED_VALID_FROM.into()),
                        renews,
                        key: Some(a.key.into()),
                    },
                )
                .await?;
            if outcome.created {
                summary.awards += 1;
            }
            let mut award = outcome.award;
            match a.fate {
                Fate::Revoked if award.status != AwardStatus::Revoked => {
                    award = self
                        .change_award_status(
                            &issuer,
                            &award.id,
                            StatusAction::Revoke,
                            REVOKE_REASON,
                        )
                        .await?;
                    summary.changes += 1;
                }
                Fate::Suspended if award.status == AwardStatus::Active => {
                    award = self
                        .change_award_status(
                            &issuer,
                            &award.id,
                            StatusAction::Suspend,
                            SUSPEND_REASON,
                        )
                        .await?;
                    summary.changes += 1;
                }
                _ => {}
            }
            let public = matches!(a.fate, Fate::Valid | Fate::Expired)
                && PLANS.iter().any(|p| p.persona == a.persona && p.public);
            if award.public != public {
                let holder = self.demo_holder(accounts, a.persona).await?;
                self.set_award_visibility(&holder, &award.id, public)
                    .await?;
                summary.changes += 1;
            }
            issued.insert(a.key, award.id);
        }
        Ok(())
    }

    /// Sets each persona's archetype, publishes the portfolios the plans say to publish
    /// (showing progress), and shows their attested evidence beyond the foundational
    /// pathway on them.
    async fn seed_portfolios(
        &self,
        framework: &Framework,
        accounts: &HashMap<&'static str, String>,
        summary: &mut DemoSummary,
    ) -> Result<(), ServiceError> {
        let foundational: Vec<String> = PathwayCode::new("foundational")
            .map(|code| {
                framework
                    .pathway_statements(&code)
                    .map(|s| s.code.to_string())
                    .collect()
            })
            .unwrap_or_default();
        for plan in &PLANS {
            let who = persona(plan.persona)?;
            let holder = self.demo_holder(accounts, plan.persona).await?;
            let me = self.me(&holder).await?;
            let archetype = who.archetype.to_lowercase();
            if me.archetypes != [archetype.clone()] {
                self.set_archetypes(&holder, &[archetype]).await?;
                summary.changes += 1;
            }
            if !plan.public {
                continue;
            }
            if me.portfolio_slug.as_deref() != Some(plan.persona)
                || !me.portfolio_public
                || !me.portfolio_show_progress
            {
                self.update_portfolio(
                    &holder,
                    PortfolioSettings {
                        slug: Some(plan.persona.into()),
                        public: true,
                        show_progress: true,
                    },
                )
                .await?;
                summary.changes += 1;
            }
            let evidence = self
                .holder_evidence(&holder, Page::new(0, Page::MAX_LIMIT))
                .await?;
            for e in evidence {
                let show =
                    e.status == EvidenceStatus::Attested && !foundational.contains(&e.statement);
                if show && !e.public {
                    self.set_evidence_visibility(&holder, &e.id, true).await?;
                    summary.changes += 1;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use credence_domain::registry::Email;

    #[test]
    fn every_demo_login_is_a_distinct_reserved_address() {
        let logins = demo_logins();
        assert_eq!(logins.len(), PERSONAS.len() + STAFF.len());
        let mut emails: Vec<&str> = logins.iter().map(|l| l.email.as_str()).collect();
        emails.sort_unstable();
        emails.dedup();
        assert_eq!(emails.len(), logins.len());
        for login in &logins {
            assert!(Email::new(&login.email).is_ok(), "{}", login.email);
            assert!(login.email.ends_with("@demo.credence.invalid"));
            assert!(!login.label.is_empty() && !login.summary.is_empty());
        }
        assert!(DEMO_PASSWORD.chars().count() >= crate::accounts::MIN_PASSWORD_CHARS);
    }

    #[test]
    fn the_plans_name_only_what_the_demo_has() {
        assert_eq!(PLANS.len(), PERSONAS.len());
        for plan in &PLANS {
            assert!(persona(plan.persona).is_ok(), "{}", plan.persona);
            assert!(staff_of(plan.org, Role::Assessor).is_ok(), "{}", plan.org);
        }
        for award in &AWARDS {
            assert!(persona(award.persona).is_ok(), "{}", award.persona);
            let achievement = ACHIEVEMENTS.iter().find(|a| a.key == award.achievement);
            let org = achievement.map(|a| a.org).unwrap_or_default();
            assert!(staff_of(org, Role::Issuer).is_ok(), "{}", award.key);
        }
        let fates = |fate| AWARDS.iter().filter(|a| a.fate == fate).count();
        assert_eq!(
            (
                fates(Fate::Revoked),
                fates(Fate::Suspended),
                fates(Fate::Expired)
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn evidence_levels_are_those_of_each_statement_s_taxonomy() {
        let framework = Framework::from_json(bundled::NHS_AI_CONFIDENCE_2022.as_bytes())
            .expect("the bundled framework");
        for plan in &PLANS {
            let items = items(&framework, plan).expect("the plan's evidence");
            assert!(!items.is_empty());
            for item in &items {
                let taxonomy = framework.taxonomy_of(&item.claimed).expect("a level");
                assert_eq!(taxonomy.code, item.statement.taxonomy);
                if let Target::Attested(confirmed) = &item.target {
                    assert!(framework.satisfies(&item.claimed, confirmed));
                }
            }
        }
    }
}
