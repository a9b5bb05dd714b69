/*
** libFuzzer's entry point, declared for every fuzz target (the Makefile passes
** -include tests/fuzz/fuzz.h), so that targets build with -Wmissing-prototypes.
*/
#ifndef EL_TESTS_FUZZ_FUZZ_H
#define EL_TESTS_FUZZ_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
