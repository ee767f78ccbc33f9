#include "justtcg_schemas.hpp"

namespace cardsync::justtcg {

const ItemSchemas& item_schemas() {
  static const ItemSchemas schemas;
  return schemas;
}

}  // namespace cardsync::justtcg
