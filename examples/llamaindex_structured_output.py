"""LlamaIndex: structured output, a pydantic object from free text, with ``structured_predict`` and a structured LLM.

Both call the model's tools (function calling) and validate the answer against the class.
"""

from __future__ import annotations

from llama_index.core.llms import ChatMessage
from llama_index.core.prompts import PromptTemplate
from pydantic import BaseModel, Field

from llama_index.llms.modelverse import Modelverse

TEXT = 'The city of "Shanghai", in "China", is home to 24.9 million people.'


class City(BaseModel):
    """A city, the country it is in and its population."""

    name: str = Field(description="The city's name")
    country: str = Field(description="The country the city is in")
    population_millions: float = Field(description="The population, in millions")


def main() -> None:
    llm = Modelverse(model="deepseek-ai/DeepSeek-V3-0324", temperature=0)

    # A prompt template and its variables in, the object out.
    city = llm.structured_predict(City, PromptTemplate("Extract the city from the text: {text}"), text=TEXT)
    print(f"City:      {city.name}, {city.country}, {city.population_millions} million")

    # A structured LLM: every chat answer is the object, as JSON text and as `raw`.
    response = llm.as_structured_llm(City).chat([ChatMessage(role="user", content=TEXT)])
    print(f"Parsed:    {response.raw!r}")
    print(f"As JSON:   {response.message.content}")


if __name__ == "__main__":
    main()
