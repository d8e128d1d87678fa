/* comp.c — names of components and their power states. */
#include <string.h>
#include "comp.h"

static const char *const comp_names[COMP__COUNT] = {
    "cpu", "clk32k", "wifi", "flash", "i2c", "spi", "uart", "adc", "pwm",
    "sampler", "dac", "regulator", "load0", "load1", "load2", "load3"};

static const char *const cpu_states[] = {"run", "wake", "idle", "stop", "deepsleep"};
static const char *const clk_states[] = {"xtal", "rc", "off"};
static const char *const wifi_states[] = {
    "off", "standby", "deepsleep", "scan", "join", "dhcp", "tls", "assoc",
    "ps_doze", "ps_beacon", "tx", "rx", "cal", "powerup"};
static const char *const flash_states[] = {"none", "standby", "dpd", "read",
                                           "program", "erase"};
static const char *const periph_states[] = {"off", "on", "active"};
static const char *const reg_states[] = {"on"};
static const char *const load_states[] = {"off", "on"};

#define N(a) ((int)(sizeof a / sizeof a[0]))

const char *comp_name(comp_id c)
{
    return comp_names[c];
}

static const char *const *comp_states(comp_id c, int *n)
{
    switch (c) {
    case COMP_CPU: *n = N(cpu_states); return cpu_states;
    case COMP_CLK32K: *n = N(clk_states); return clk_states;
    case COMP_WIFI: *n = N(wifi_states); return wifi_states;
    case COMP_FLASH: *n = N(flash_states); return flash_states;
    case COMP_REG: *n = N(reg_states); return reg_states;
    case COMP_LOAD0: case COMP_LOAD1: case COMP_LOAD2: case COMP_LOAD3:
        *n = N(load_states);
        return load_states;
    default: *n = N(periph_states); return periph_states;
    }
}

int comp_nstates(comp_id c)
{
    int n;
    comp_states(c, &n);
    return n;
}

const char *comp_state_name(comp_id c, int s)
{
    int n;
    const char *const *v = comp_states(c, &n);
    return (s >= 0 && s < n) ? v[s] : "?";
}

int comp_by_name(const char *name)
{
    for (int c = 0; c < COMP__COUNT; c++)
        if (strcmp(name, comp_names[c]) == 0)
            return c;
    return -1;
}
