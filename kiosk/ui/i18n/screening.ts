/** The screening questions in plain words, one per engine contraindication (core/engine/envelope.ts CONTRAINDICATIONS). */
import type { CONTRAINDICATIONS } from "../../../core/engine/envelope.ts";
import type { Catalogue } from "../i18n.ts";

/** One screening question id (a key of the engine's CONTRAINDICATIONS). */
export type ScreeningQuestion = typeof CONTRAINDICATIONS[number];

/** The questions, English and Spanish; typed on CONTRAINDICATIONS so a new contraindication cannot go unasked. */
export const SCREENING: Catalogue<ScreeningQuestion> = {
  en: {
    implantedElectronicDevice:
      "Do you have an implanted electronic device (for example an insulin pump or neurostimulator)?",
    pacemaker: "Do you have a pacemaker or a heart defibrillator?",
    pregnancy: "Are you pregnant, or might you be?",
    epilepsy: "Do you have epilepsy or a history of seizures?",
    activeCancer: "Are you being treated for cancer, or have you had cancer in the last five years?",
    under18: "Are you under 18 years old?",
    brokenSkinOrRecentSurgeryOrFiller:
      "Do you have broken or irritated skin on the face, or facial surgery, fillers or injections in the last two weeks?",
    metalImplantsInFace:
      "Do you have metal implants in your face or jaw, such as plates or pins (not fillings or braces)?",
  },
  es: {
    implantedElectronicDevice:
      "¿Lleva algún aparato electrónico implantado (por ejemplo, una bomba de insulina o un neuroestimulador)?",
    pacemaker: "¿Lleva marcapasos o desfibrilador cardíaco?",
    pregnancy: "¿Está embarazada o podría estarlo?",
    epilepsy: "¿Tiene epilepsia o ha tenido convulsiones?",
    activeCancer: "¿Está en tratamiento por un cáncer, o ha tenido cáncer en los últimos cinco años?",
    under18: "¿Tiene menos de 18 años?",
    brokenSkinOrRecentSurgeryOrFiller:
      "¿Tiene la piel de la cara herida o irritada, o se ha sometido a cirugía facial, rellenos o inyecciones en las últimas dos semanas?",
    metalImplantsInFace:
      "¿Tiene implantes metálicos en la cara o la mandíbula, como placas o tornillos (no empastes ni brackets)?",
  },
};
