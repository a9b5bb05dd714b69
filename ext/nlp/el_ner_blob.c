/*
** The named-entity model built into the extension: the bytes of
** ext/nlp/models/ner.bin (trained by `make models`), included by the
** assembler so that the model is one read-only array of the library and
** nothing is converted at build time. See el_ner.h for its layout.
*/
#ifndef EL_NER_MODEL_FILE
#define EL_NER_MODEL_FILE "ext/nlp/models/ner.bin"
#endif

__asm__(".section .rodata\n"
        ".balign 16\n"
        ".globl el_ner_blob\n"
        ".hidden el_ner_blob\n"
        "el_ner_blob:\n"
        ".incbin \"" EL_NER_MODEL_FILE "\"\n"
        ".globl el_ner_blob_end\n"
        ".hidden el_ner_blob_end\n"
        "el_ner_blob_end:\n"
        ".byte 0\n"
        ".previous\n");
