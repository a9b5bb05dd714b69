/*
** Unicode tables (generated at build time into build/gen) and UTF-8 helpers.
*/
#include "el_unicode.h"
#include "el_unicode_data.h"

static const el_uc_record el_uc_other = {EL_CLS_OTHER, 0, 0};

const el_uc_record *el_uc_lookup(int32_t cp) {
  if (cp < 0 || cp >= EL_UC_LIMIT) return &el_uc_other;
  return &el_uc_records[el_uc_stage2[el_uc_stage1[cp >> EL_UC_BLOCK_SHIFT]]
                                    [cp & ((1 << EL_UC_BLOCK_SHIFT) - 1)]];
}

size_t el_utf8_count(const unsigned char *z, size_t n) {
  size_t count = 0, i = 0;
  while (i < n) {
    unsigned c = z[i++];
    count++;
    if (c >= 0xC0) {
      while (i < n && (z[i] & 0xC0) == 0x80) i++;
    }
  }
  return count;
}

const char *el_uc_version(void) { return EL_UC_VERSION; }
