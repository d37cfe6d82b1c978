"""Lessons: ready-made experiments, one card each; Open loads one into its page."""

import streamlit as st

from playground.lab.config import HIDEABLE, PREDICT
from playground.lab.lessons import LESSONS, Lesson, Variant, summary
from playground.lab.predictions import lesson_question
from playground.ui import notebook as ui_notebook
from playground.ui import predict as ui_predict
from playground.ui import session as ui

CARDS_PER_ROW = 3

st.title("Lessons")
st.caption("Each card is one experiment of the course, ready to run. **Open** loads its "
           "complete configuration into the Playground from iteration 0; press Play and it "
           "stops at the iterations the card's numbers were measured at.")
ASK = ui_predict.enabled()  # ?predict=off: the cards without their questions (a demo)


def open_lesson(lesson: Lesson, variant: Variant) -> None:
    """Make the variant's config current, start training from scratch, and go there."""
    ss = st.session_state
    ss.pop("trainer", None)  # the Playground builds a fresh Trainer from the config
    ss.pop("user_points", None)  # points a student added would change the claim
    ss["playing"] = False
    ui.set_config(variant.config)
    query = variant.config.to_query()
    if not ASK:
        query[PREDICT] = "off"  # a demo stays a demo, even when the page is reloaded
    st.switch_page(lesson.page, query_params=query)


def hidden_note(hide: tuple[str, ...]) -> str:
    names = [h for h in HIDEABLE if h in hide]
    return ("Classroom mode: hides the " + " and ".join(n.capitalize() for n in names)
            + " controls." if names else "")


def card(lesson: Lesson) -> None:
    with st.container(border=True):
        st.header(f"{lesson.icon} {lesson.title}", anchor=False)
        st.markdown(lesson.sentence)
        variant = lesson.variants[0]
        if len(lesson.variants) > 1:
            pick = st.segmented_control(
                "Variant", lesson.variant_labels, default=lesson.variant_labels[0],
                key=f"variant_{lesson.key}", required=True, label_visibility="collapsed")
            variant = lesson.variant(pick)
        question = lesson_question(lesson) if ASK else None
        if question is not None:
            # The question comes before the claim: predict, then read and run.
            ui_predict.block(question, ui_predict.stored(question), note="" if (
                variant.label == question.variant) else (
                f"This question is about “{question.variant}”: pick it above to check "
                "your answer on the Playground."))
        if question is not None and ui_predict.answer(question) is None:
            with st.expander("What you will see (predict first)",
                             icon=":material/visibility:"):
                st.markdown(variant.claim)
        else:
            st.markdown(f":material/visibility: {variant.claim}")
        note = hidden_note(variant.config.hide)
        st.caption(summary(variant.config) + (f". {note}" if note else ""))
        with st.expander("Why"):
            st.markdown(lesson.explain)
        with st.container(horizontal=True, vertical_alignment="center"):
            if st.button("Open", key=f"open_{lesson.key}", type="primary",
                         icon=":material/play_arrow:"):
                open_lesson(lesson, variant)
            ui_notebook.lesson_download_button(lesson.key, variant)
            for page, label in lesson.see_also:
                st.page_link(page, label=label, icon=":material/arrow_forward:")


for start in range(0, len(LESSONS), CARDS_PER_ROW):
    for col, lesson in zip(st.columns(CARDS_PER_ROW), LESSONS[start:start + CARDS_PER_ROW],
                           strict=False):
        with col:
            card(lesson)
