#include "nemesis/packages.h"

#include "nemesis/client/client_clock_package.h"
#include "nemesis/client/client_pause_package.h"
#include "nemesis/clock/clock_package.h"
#include "nemesis/disk/disk_full_package.h"
#include "nemesis/disk/fsync_error_package.h"
#include "nemesis/disk/power_package.h"
#include "nemesis/network/link_package.h"
#include "nemesis/network/partition_package.h"
#include "nemesis/process/process_package.h"

namespace jepsen::nemesis {

std::vector<std::unique_ptr<Package>> NewPackages() {
  std::vector<std::unique_ptr<Package>> packages;
  packages.push_back(NewProcessPackage());      // kill, pause
  packages.push_back(NewPartitionPackage());    // partition
  packages.push_back(NewClientPausePackage());  // client-pause
  packages.push_back(NewPowerPackage());        // power
  packages.push_back(NewTornPackage());         // torn
  packages.push_back(NewCorruptPackage());      // corrupt
  packages.push_back(NewDiskFullPackage());     // disk-full
  packages.push_back(NewFsyncErrorPackage());   // fsync-error
  packages.push_back(NewLossPackage());         // loss
  packages.push_back(NewSlowPackage());         // slow
  packages.push_back(NewClockPackage());        // clock
  packages.push_back(NewClientClockPackage());  // client-clock
  return packages;
}

}  // namespace jepsen::nemesis
