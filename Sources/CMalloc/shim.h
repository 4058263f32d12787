// glibc's malloc tuning (mallopt), for the executable's memory policy.
#include <malloc.h>
