/* comp.h — the fixed set of components and power states impsim accounts for.
 *
 * Every module has the same components; a state a module lacks (stop mode on
 * the imp002, the SPI flash on the imp002) simply never occurs. The model
 * file gives a current for each (component, state) the module can be in:
 * key "<component>.<state>.current". */
#ifndef IMPSIM_COMP_H
#define IMPSIM_COMP_H

typedef enum {
    COMP_CPU, COMP_CLK32K, COMP_WIFI, COMP_FLASH,
    COMP_I2C, COMP_SPI, COMP_UART, COMP_ADC, COMP_PWM, COMP_SAMPLER, COMP_DAC,
    COMP_REG,
    COMP_LOAD0, COMP_LOAD1, COMP_LOAD2, COMP_LOAD3,   /* board loads (scenario `load`) */
    COMP__COUNT
} comp_id;

#define COMP_PERIPH_FIRST COMP_I2C
#define COMP_PERIPH_LAST  COMP_DAC
#define COMP_MAX_STATES   16

/* CPU states */
enum { CPU_RUN, CPU_WAKE, CPU_IDLE, CPU_STOP, CPU_DEEPSLEEP };
/* 32 kHz clock source states */
enum { CLK_XTAL, CLK_RC, CLK_OFF };
/* WiFi states */
enum { WIFI_OFF, WIFI_STANDBY, WIFI_DEEPSLEEP, WIFI_SCAN, WIFI_JOIN, WIFI_DHCP,
       WIFI_TLS, WIFI_ASSOC, WIFI_PS_DOZE, WIFI_PS_BEACON, WIFI_TX, WIFI_RX,
       WIFI_CAL, WIFI_POWERUP };
/* SPI flash states */
enum { FLASH_NONE, FLASH_STANDBY, FLASH_DPD, FLASH_READ, FLASH_PROGRAM,
       FLASH_ERASE };
/* peripheral states (I2C ... DAC) */
enum { PERIPH_OFF, PERIPH_ON, PERIPH_ACTIVE };
/* regulator */
enum { REG_ON };
/* board loads */
enum { LOAD_OFF, LOAD_ON };
#define COMP_LOADS 4

/* Lower-case component name ("cpu", "clk32k", ...). */
const char *comp_name(comp_id c);

/* Number of states of component c, and the name of state s. */
int comp_nstates(comp_id c);
const char *comp_state_name(comp_id c, int s);

/* Component id for a name, or -1. */
int comp_by_name(const char *name);

#endif
