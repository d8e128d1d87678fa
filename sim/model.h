/* model.h — a module model: the figures of one imp module, loaded from its
 * readable data file (models/NAME.model), optionally layered with board
 * parts (models/parts/NAME.part) and user overrides. */
#ifndef IMPSIM_MODEL_H
#define IMPSIM_MODEL_H

#include "comp.h"
#include "diag.h"
#include "figfile.h"

typedef enum { MK_NUM, MK_BOOL, MK_WORD, MK_STRING } mk_type;

typedef struct {
    const char *key;    /* may contain one '*' standing for a name */
    mk_type type;
    units_dim dim;      /* for MK_NUM */
    int required;
    const char *meaning;
} model_key;

typedef struct {
    char name[24];      /* e.g. "i2c89" */
    comp_id kind;       /* COMP_I2C ... COMP_DAC */
    double max_baud;    /* UARTs; 0 when unknown */
} model_bus;

typedef struct {
    figfile *fig;       /* owned: all figures, overrides applied */
    double cur[COMP__COUNT][COMP_MAX_STATES];   /* A; from <comp>.<state>.current */
    unsigned char has_state[COMP__COUNT][COMP_MAX_STATES];
    model_bus *bus;     /* owned; in file order */
    int nbus;
} model;

/* The schema: every key a model may hold. */
const model_key *model_schema(int *n);
/* The schema entry matching key, or NULL. */
const model_key *model_schema_find(const char *key);

/* Path of the model file for a module name (in impsim_datadir()/models), or
 * name itself when it contains '/' or ends in ".model". Returns a static
 * buffer. */
const char *model_path(const char *name_or_file);

/* Load a model: the file for name_or_file, then each part file in
 * parts[0..nparts) (names: models/parts/NAME.part, or paths), then each
 * override in over[0..nover) (keys without the "model." prefix). Checks
 * every key against the schema, every dimension, and that required keys
 * are present. Returns a new model or NULL after recording errors in d. */
model *model_load(const char *name_or_file, const char *const *parts,
                  const diag_pos *part_pos, int nparts,
                  const fig_entry *over, int nover, diag *d);

/* The same from a parsed figure file, which the model takes over (it is
 * freed with the model, or at once on failure). */
model *model_from_fig(figfile *f, const char *const *parts, const diag_pos *part_pos,
                      int nparts, const fig_entry *over, int nover, diag *d);
void model_free(model *m);

/* Figure accessors. key must be in the schema and (for num/bool/word)
 * present; a missing optional key gives 0 / 0 / "" . */
double model_num(const model *m, const char *key);
int model_bool(const model *m, const char *key);
const char *model_word(const model *m, const char *key);
int model_has(const model *m, const char *key);

/* The module's name (module.name). */
const char *model_name(const model *m);

/* Bus by name, or NULL. The first bus of a kind, or NULL. */
const model_bus *model_bus_find(const model *m, const char *name);
const model_bus *model_bus_default(const model *m, comp_id kind);

/* Print the model, every figure with unit, provenance and source, to fp. */
void model_print(const model *m, FILE *fp);

#endif
